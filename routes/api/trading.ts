/**
 * `/api/trading`: the kill switch (lib/broker/halt.ts).
 *
 * - `GET /halt` → `{ halted, halt }`: the halt that stops the caller trading, if any.
 * - `POST /halt` `{ reason?, cancelOpenOrders?, everyone? }` → `{ halt, changed, canceled }`:
 *   refuses the caller's new orders from now on (every account's with `everyone`, admins only),
 *   optionally canceling the caller's open orders. Halting twice keeps the first halt.
 * - `POST /resume` `{ everyone? }` → `{ resumed }`: lifts the caller's own halt (or, for an
 *   admin, everyone's); an account halted by an admin stays halted until the admin resumes.
 *
 * Every instance honours a change within a second; each halt and resume is in the audit log.
 */
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../lib/state.ts";
import { jsonBody, requireUser } from "../../lib/auth/guards.ts";
import { ForbiddenError } from "../../lib/http/errors.ts";
import { fromBroker } from "../../lib/broker/api.ts";
import { describeRoutes } from "../../lib/http/openapi/mod.ts";

const haltSchema = z.object({
  reason: z.string().trim().min(1).max(300).default("Halted from PaiiD"),
  cancelOpenOrders: z.boolean().default(false),
  everyone: z.boolean().default(false),
}).strict();

const resumeSchema = z.object({ everyone: z.boolean().default(false) }).strict();

const trading = new Hono<AppEnv>();

describeRoutes(trading, "Kill switch", {
  "GET /halt": {
    summary: "The halt that stops the caller trading, if any",
    responses: { 200: "`{ halted, halt }`" },
  },
  "POST /halt": {
    summary: "Halt trading: new orders are refused with 423 on every instance within a second",
    description: "`everyone` halts every account (admins only).",
    body: haltSchema,
    example: { reason: "Stepping away", cancelOpenOrders: true },
    responses: { 200: "`{ halt, changed, canceled }`", 403: "`everyone` without being an admin" },
  },
  "POST /resume": {
    summary: "Lift the caller's own halt (or, for an admin, everyone's)",
    body: resumeSchema,
    responses: { 200: "`{ resumed, halted, halt }`", 403: "`everyone` without being an admin" },
  },
});

trading.get("/halt", async (c) => {
  const user = requireUser(c);
  const halt = await c.get("services").halts.activeFor(user.id);
  c.header("Cache-Control", "no-store");
  return c.json({ halted: halt !== undefined, halt: halt ?? null });
});

trading.post("/halt", async (c) => {
  const user = requireUser(c);
  const input = haltSchema.parse(await jsonBody(c));
  if (input.everyone && user.role !== "admin") {
    throw new ForbiddenError("Only an admin may halt trading for every account.");
  }
  const { halts, broker } = c.get("services");
  const { halt, changed } = await halts.halt(user.id, input);
  let canceled = 0;
  if (input.cancelOpenOrders) {
    const open = await fromBroker(() => broker.orders(user.id, { status: "open", limit: 500 }));
    for (const order of open) {
      // An order that filled or was canceled meanwhile is no longer ours to cancel: skip it.
      if (await broker.cancel(user.id, order.id).then(() => true, () => false)) canceled++;
    }
  }
  return c.json({ halt, changed, canceled });
});

trading.post("/resume", async (c) => {
  const user = requireUser(c);
  const { everyone } = resumeSchema.parse(await jsonBody(c));
  if (everyone && user.role !== "admin") {
    throw new ForbiddenError("Only an admin may resume trading for every account.");
  }
  const resumed = await c.get("services").halts.resume(user.id, { everyone });
  const still = await c.get("services").halts.activeFor(user.id);
  return c.json({ resumed, halted: still !== undefined, halt: still ?? null });
});

export default trading;
