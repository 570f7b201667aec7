/**
 * The body of `POST /api/telemetry`: `{ events: [...] }`, each event a strict object of one of
 * three shapes. Unknown fields are refused (400) rather than dropped, so a sender that starts to
 * add something (a user id, a symbol) fails loudly instead of leaking quietly; so are messages
 * with digits, e-mail addresses or URLs in them (the sender scrubs those first).
 */
import { z } from "zod";
import {
  COMMAND_KINDS,
  MAX_BATCH,
  MAX_MESSAGE_CHARS,
  personalLooking,
  TELEMETRY_PAGES,
} from "../shared/telemetry.ts";

const page = z.enum(TELEMETRY_PAGES);

const message = z.string().min(1).max(MAX_MESSAGE_CHARS).superRefine((text, ctx) => {
  const why = personalLooking(text);
  if (why) ctx.addIssue({ code: "custom", message: `messages may not contain ${why}` });
  // Postgres text cannot hold NUL: let through, the whole batch failed with a 500.
  if (/\p{Cc}/u.test(text)) {
    ctx.addIssue({ code: "custom", message: "messages may not contain control characters" });
  }
});

export const telemetryEventSchema = z.discriminatedUnion("name", [
  z.strictObject({ name: z.literal("stage_opened"), page }),
  z.strictObject({
    name: z.literal("command_used"),
    command: z.enum(COMMAND_KINDS),
    page: page.optional(),
  }),
  z.strictObject({ name: z.literal("client_error"), message, page: page.optional() }),
]);

export const telemetryBatchSchema = z.strictObject({
  events: z.array(telemetryEventSchema).min(1).max(MAX_BATCH),
});

export type TelemetryBatch = z.infer<typeof telemetryBatchSchema>;
