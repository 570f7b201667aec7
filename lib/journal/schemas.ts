/**
 * The journal API's request schemas: an entry as written (its link, why, plan, emotion, lesson
 * and tags), a change to one, and the list's filters and page. The vocabulary (emotions, the tag
 * rule, lengths) is lib/shared/journal.ts's, which the browser's form applies too.
 *
 * @module
 */
import { z } from "zod";
import { symbolSchema } from "../market/symbols.ts";
import { addDays } from "../market/exchange_time.ts";
import { nyMidnight } from "../shared/ny_time.ts";
import { EMOTIONS, MAX_TAGS, MAX_TEXT, saysSomething, TAG, TAG_RULE } from "../shared/journal.ts";

export { saysSomething };

const text = z.string().max(MAX_TEXT, `At most ${MAX_TEXT} characters.`)
  // Postgres text cannot hold NUL; let through, the insert failed with a 500.
  .refine((s) => !s.includes("\u0000"), "Text may not contain NUL characters.")
  .transform((s) => s.trim());

export const tagSchema = z.string().trim().toLowerCase().regex(TAG, TAG_RULE);

/** Lowercased, each once, in the order given. */
export const tagsSchema = z.array(tagSchema).max(MAX_TAGS, `At most ${MAX_TAGS} tags.`)
  .transform((tags) => [...new Set(tags)]);

export const emotionSchema = z.enum(EMOTIONS);

/** A fill is a `trades` row: its id as the fills API gives it (text), or as a number. */
export const fillIdSchema = z.union([
  z.string().regex(/^[1-9]\d{0,15}$/, "A fill id is a positive whole number."),
  z.number().int().positive(),
]).transform(Number).pipe(z.number().max(Number.MAX_SAFE_INTEGER));

export const orderIdSchema = z.uuid("Order ids are UUIDs.");

/** An entry's id in a path. */
export const entryIdSchema = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

const NOTHING = "Write at least one of why, plan or lesson, or pick an emotion or a tag.";

export const createEntrySchema = z.strictObject({
  orderId: orderIdSchema.optional(),
  fillId: fillIdSchema.optional(),
  /** A position's symbol; with an order or fill it must be theirs. */
  symbol: symbolSchema.optional(),
  why: text.default(""),
  plan: text.default(""),
  lesson: text.default(""),
  emotion: emotionSchema.nullable().default(null),
  tags: tagsSchema.default([]),
}).superRefine((e, ctx) => {
  if (e.orderId !== undefined && e.fillId !== undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["fillId"],
      message: "Link an order or a fill, not both: a fill's entry finds its order itself.",
    });
  }
  if (!saysSomething(e)) ctx.addIssue({ code: "custom", path: ["why"], message: NOTHING });
});

export type NewEntry = z.infer<typeof createEntrySchema>;

/** What a PATCH may change; the link is set when the entry is written. */
export const patchEntrySchema = z.strictObject({
  why: text.optional(),
  plan: text.optional(),
  lesson: text.optional(),
  emotion: emotionSchema.nullable().optional(),
  tags: tagsSchema.optional(),
}).refine((p) => Object.keys(p).length > 0, "Send at least one field to change.");

export type EntryChange = z.infer<typeof patchEntrySchema>;

const DAY = /^\d{4}-\d{2}-\d{2}$/;
/**
 * Years a bound may name. Outside them dates go wrong quietly: Date.UTC (nyMidnight) reads years
 * 0-99 as 1900-1999 and the day after 9999-12-31 as 1909, and Postgres has no year 0.
 */
const MIN_YEAR = 1900;
const MAX_YEAR = 2999;
const inYears = (d: Date) => d.getUTCFullYear() >= MIN_YEAR && d.getUTCFullYear() <= MAX_YEAR;

/**
 * `from`/`to` as an instant (ISO 8601 with an offset) or a New York calendar day. A day as
 * `from` starts at its midnight; a day as `to` includes the whole day.
 */
function bound(end: "from" | "to") {
  return z.string().max(40).transform((s, ctx) => {
    if (DAY.test(s)) {
      // Date rolls 2024-02-30 over into March; a real day reads back as itself.
      const utc = new Date(`${s}T00:00:00Z`);
      if (Number.isFinite(utc.getTime()) && utc.toISOString().startsWith(s) && inYears(utc)) {
        return new Date(nyMidnight(end === "to" ? addDays(s, 1) : s));
      }
    } else if (/^\d{4}-\d{2}-\d{2}T.+(Z|[+-]\d{2}:\d{2})$/.test(s)) {
      const d = new Date(s);
      if (Number.isFinite(d.getTime()) && inYears(d)) return d;
    }
    ctx.addIssue({
      code: "custom",
      message: `${end} is a day (YYYY-MM-DD, New York) or an instant with its offset (ISO 8601), ` +
        `in the years ${MIN_YEAR} to ${MAX_YEAR}.`,
    });
    return z.NEVER;
  });
}

const filters = {
  symbol: symbolSchema.optional(),
  tag: tagSchema.optional(),
  emotion: emotionSchema.optional(),
  from: bound("from").optional(),
  to: bound("to").optional(),
  orderId: orderIdSchema.optional(),
  fillId: fillIdSchema.optional(),
};

const ordered = (q: { from?: Date; to?: Date }) =>
  q.from === undefined || q.to === undefined || q.from < q.to;
const ORDER_MESSAGE = { message: "from must be before to.", path: ["to"] };

export const exportQuerySchema = z.strictObject(filters).refine(ordered, ORDER_MESSAGE);
export type JournalFilter = z.infer<typeof exportQuerySchema>;

export const MAX_PAGE = 200;

export const listQuerySchema = z.strictObject({
  ...filters,
  /** The last id of the previous page: the next page holds older entries. */
  before: entryIdSchema.optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(50),
}).refine(ordered, ORDER_MESSAGE);

export type ListQuery = z.infer<typeof listQuerySchema>;
