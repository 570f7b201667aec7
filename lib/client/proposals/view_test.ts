import assert from "node:assert/strict";
import { eventText, expiryText, orderText } from "./view.ts";
import type { Proposal, ProposalEvent } from "./view.ts";

const order: Proposal["order"] = {
  symbol: "AAPL",
  side: "buy",
  type: "limit",
  timeInForce: "day",
  qty: 5,
  notional: null,
  limitPrice: 99,
  stopPrice: null,
  trailPrice: null,
  trailPercent: null,
};

Deno.test("orderText: side, size with its unit, type, terms and time in force", () => {
  assert.equal(orderText(order), "Buy 5 shares of AAPL · limit $99.00 · Day");
  assert.equal(
    orderText({
      ...order,
      side: "sell",
      type: "market",
      qty: null,
      notional: 250,
      limitPrice: null,
    }),
    "Sell $250.00 of AAPL · market · Day",
  );
});

Deno.test("eventText: who did what to which order, and why", () => {
  const e: ProposalEvent = {
    id: 1,
    proposalId: "p",
    event: "approval_refused",
    actor: "user",
    actorId: 3,
    orderId: null,
    clientOrderId: "proposal-p",
    detail: { code: "order_refused", message: "Order refused: too big." },
    createdAt: "2026-11-04T15:00:00.000Z",
    summary: "buy 5 AAPL",
  };
  assert.equal(eventText(e), "you approval refused buy 5 AAPL: Order refused: too big.");
  assert.equal(
    eventText({
      ...e,
      event: "auto_approved",
      actor: "auto",
      orderId: "1a2b3c4d-0000",
      detail: {},
    }),
    "auto-approval auto-approved buy 5 AAPL → order 1a2b3c4d",
  );
});

Deno.test("expiryText: the session's close in New York time", () => {
  assert.equal(
    expiryText({ expiresAt: "2026-11-04T21:00:00.000Z", expiresSession: "2026-11-04" }),
    "expires 4:00 PM ET (session 2026-11-04)",
  );
  assert.equal(
    expiryText({ expiresAt: null, expiresSession: null }),
    "expires at the session's close",
  );
});
