/**
 * `/api/proposals`: orders waiting for the caller's approval (lib/proposals/).
 *
 * - `GET /?status=pending|approved|rejected|expired&limit` → `{ proposals }` (newest first;
 *   proposals whose session closed are expired first)
 * - `POST /` `{ order: {symbol, side, type, timeInForce, qty|notional, limitPrice?, ...}, note }`
 *   → 201 `{ proposal, order, auto }`: a person proposes by hand; pending unless auto-approval
 *   (settings) approved it at once, then `order` is the placed order.
 * - `GET /audit?proposalId&limit` → `{ events }`: the append-only audit log, newest first
 * - `GET /:id` → `{ proposal, events }`; `GET /:id/preview` → `{ proposal, preview, halt }`: what
 *   approving would do now (cost, buying power, every check), nothing placed
 * - `POST /:id/approve` → `{ proposal, order, duplicate, checks }`: 201 when this approval
 *   placed the order, 200 with `duplicate: true` when it existed (a double click, two tabs);
 *   422 a check refused / 423 trading is halted (the proposal stays pending with the reason);
 *   409 decided already or an approval in flight.
 * - `POST /:id/reject` `{ reason? }` → `{ proposal }`
 *
 * Another user's proposal is 404.
 */
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../lib/state.ts";
import { jsonBody, requireUser } from "../../lib/auth/guards.ts";
import { fromBroker } from "../../lib/broker/api.ts";
import {
  approveProposal,
  createProposal,
  getProposal,
  listProposals,
  previewProposal,
  PROPOSAL_STATUSES,
  proposalAudit,
  ProposalNotFoundError,
  proposalOrderSchema,
  rejectProposal,
} from "../../lib/proposals/mod.ts";
import { describeRoutes } from "../../lib/http/openapi/mod.ts";

const createSchema = z.strictObject({
  order: proposalOrderSchema,
  note: z.string().trim().max(1000).default(""),
});

const listQuery = z.strictObject({
  status: z.enum(PROPOSAL_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

const auditQuery = z.strictObject({
  proposalId: z.uuid("Proposal ids are UUIDs.").optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

const rejectSchema = z.strictObject({
  reason: z.string().trim().max(300).optional(),
});

/** A proposal id from the path; anything but a UUID is simply not found. */
function proposalId(raw: string): string {
  const parsed = z.uuid().safeParse(raw);
  if (!parsed.success) throw new ProposalNotFoundError();
  return parsed.data;
}

const proposals = new Hono<AppEnv>();

const proposalParams = { id: z.uuid() };
describeRoutes(proposals, "Proposals", {
  "GET /": {
    summary: "The caller's proposals, newest first (closed sessions' ones expired first)",
    query: listQuery,
    queryExample: { status: "pending", limit: "20" },
    responses: { 200: "`{ proposals }`" },
  },
  "POST /": {
    summary: "Propose an order by hand; it waits for approval unless auto-approval takes it",
    body: createSchema,
    example: {
      order: { symbol: "AAPL", side: "buy", type: "limit", qty: 5, limitPrice: 120 },
      note: "Buy the dip",
    },
    responses: { 201: "`{ proposal, order, auto }`", 422: "Refused by a pre-trade check" },
  },
  "GET /audit": {
    summary: "The append-only audit log of proposals, newest first",
    query: auditQuery,
    queryExample: { limit: "50" },
    responses: { 200: "`{ events }`" },
  },
  "GET /:id": {
    summary: "A proposal and its audit events",
    params: proposalParams,
    responses: { 200: "`{ proposal, events }`", 404: "Not the caller's" },
  },
  "GET /:id/preview": {
    summary: "What approving would do now: cost, buying power, every check; nothing placed",
    params: proposalParams,
    responses: { 200: "`{ proposal, preview, halt }`", 404: "Not the caller's" },
  },
  "POST /:id/approve": {
    summary: "Approve: place the order through every pre-trade check and the kill switch",
    params: proposalParams,
    responses: {
      200: "`duplicate: true`: the order existed already",
      201: "`{ proposal, order, duplicate, checks }`",
      404: "Not the caller's",
      409: "Decided already, or an approval in flight",
      422: "A check refused (the proposal stays pending)",
      423: "Trading is halted (the proposal stays pending)",
    },
  },
  "POST /:id/reject": {
    summary: "Reject a proposal",
    params: proposalParams,
    body: rejectSchema,
    example: { reason: "Changed my mind" },
    responses: { 200: "`{ proposal }`", 404: "Not the caller's", 409: "Decided already" },
  },
});

proposals.use("*", async (c, next) => {
  await next();
  c.header("Cache-Control", "no-store");
});

proposals.get("/", async (c) => {
  const user = requireUser(c);
  const query = listQuery.parse(c.req.query());
  return c.json({
    proposals: await fromBroker(() => listProposals(c.get("services"), user.id, query)),
  });
});

proposals.post("/", async (c) => {
  const user = requireUser(c);
  const body = createSchema.parse(await jsonBody(c));
  const result = await fromBroker(() =>
    createProposal(c.get("services"), user.id, {
      order: body.order,
      note: body.note,
      source: { kind: "manual", ref: null },
    })
  );
  return c.json(result, 201);
});

proposals.get("/audit", async (c) => {
  const user = requireUser(c);
  const query = auditQuery.parse(c.req.query());
  return c.json({ events: await proposalAudit(c.get("services"), user.id, query) });
});

proposals.get("/:id", async (c) => {
  const user = requireUser(c);
  const id = proposalId(c.req.param("id"));
  const services = c.get("services");
  const proposal = await fromBroker(() => getProposal(services, user.id, id));
  if (!proposal) throw new ProposalNotFoundError();
  return c.json({ proposal, events: await proposalAudit(services, user.id, { proposalId: id }) });
});

proposals.get("/:id/preview", async (c) => {
  const user = requireUser(c);
  const id = proposalId(c.req.param("id"));
  return c.json(await fromBroker(() => previewProposal(c.get("services"), user.id, id)));
});

proposals.post("/:id/approve", async (c) => {
  const user = requireUser(c);
  const id = proposalId(c.req.param("id"));
  const result = await fromBroker(() =>
    approveProposal(c.get("services"), user.id, id, { kind: "user", id: user.id })
  );
  return c.json(result, result.duplicate ? 200 : 201);
});

proposals.post("/:id/reject", async (c) => {
  const user = requireUser(c);
  const id = proposalId(c.req.param("id"));
  const body = rejectSchema.parse(await jsonBody(c));
  const proposal = await fromBroker(() =>
    rejectProposal(c.get("services"), user.id, id, body.reason ?? null)
  );
  return c.json({ proposal });
});

export default proposals;
