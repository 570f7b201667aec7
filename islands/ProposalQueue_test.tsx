import assert from "node:assert/strict";
import { renderToString } from "preact-render-to-string";
import ProposalQueue from "./ProposalQueue.tsx";
import ProposalsSection from "../components/proposals/ProposalsSection.tsx";
import type { Proposal, ProposalEvent } from "../lib/proposals/types.ts";

const proposal: Proposal = {
  id: "7d3c2a8e-1111-4222-8333-944455556666",
  status: "pending",
  order: {
    symbol: "AAPL",
    side: "buy",
    type: "market",
    timeInForce: "day",
    qty: 5,
    notional: null,
    limitPrice: null,
    stopPrice: null,
    trailPrice: null,
    trailPercent: null,
  },
  source: { kind: "recommendation", ref: "r1" },
  note: "Breakout on volume",
  createdAt: "2026-11-04T15:00:00.000Z",
  expiresAt: "2026-11-04T21:00:00.000Z",
  expiresSession: "2026-11-04",
  decidedAt: null,
  decidedBy: null,
  decidedVia: null,
  clientOrderId: "proposal-7d3c2a8e-1111-4222-8333-944455556666",
  orderId: null,
  lastRefusal: {
    code: "order_refused",
    message: "Order refused: the order is over your largest order.",
    at: "2026-11-04T15:01:00.000Z",
  },
};

const text = (html: string) => html.replace(/<[^>]+>/g, "").replace(/&amp;/g, "&");

Deno.test("ProposalQueue: each pending proposal with its order, source, expiry and refusal", () => {
  const html = renderToString(<ProposalQueue initial={[proposal]} csrfToken="t" />);
  const t = text(html);
  assert.match(t, /Buy 5 shares of AAPL · market · Day/);
  assert.match(t, /AI recommendation · expires 4:00 PM ET \(session 2026-11-04\)/);
  assert.match(t, /Breakout on volume/);
  assert.match(t, /Order refused: the order is over your largest order\./);
  assert.equal([...html.matchAll(/<button type="button"/g)].length, 2, "Approve… and Reject");
  assert.ok(!html.includes("proposal-confirm"), "no confirmation before Approve is pressed");
});

Deno.test("ProposalQueue: an empty queue says so", () => {
  assert.match(
    text(renderToString(<ProposalQueue initial={[]} csrfToken="t" />)),
    /No proposals are waiting for you\./,
  );
});

Deno.test("ProposalsSection: the queue and the server-rendered audit log", () => {
  const event: ProposalEvent = {
    id: 1,
    proposalId: proposal.id,
    event: "created",
    actor: "analyst",
    actorId: null,
    orderId: null,
    clientOrderId: proposal.clientOrderId,
    detail: {},
    createdAt: "2026-11-04T15:00:00.000Z",
    summary: "buy 5 AAPL",
  };
  const html = renderToString(
    <ProposalsSection pending={[proposal]} events={[event]} csrfToken="t" />,
  );
  assert.match(html, /data-testid="proposal-queue"/);
  assert.match(text(html), /2026-11-04 15:00 UTC the analyst proposed buy 5 AAPL/);
});
