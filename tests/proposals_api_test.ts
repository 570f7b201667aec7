/**
 * Proposals end to end on one app: propose by hand, isolation, preview, twenty concurrent
 * approvals → one order, a refused check leaves the proposal pending with its reason, reject,
 * expiry at the session's close (the job and lazily on read), the analyst's tool makes only
 * pending proposals, auto-approval within limits and the kill switch over it, the audit log of
 * every event, and the log's append-only rule. Prices are set by hand (ScriptedMarketData,
 * labelled replay) so the values against the limits are known.
 */
import assert from "node:assert/strict";
import { openTestApp } from "./_harness.ts";
import { signUp } from "./_auth.ts";
import { call } from "./_api.ts";
import { ScriptedMarketData } from "../lib/market/testing.ts";
import { analystTools } from "../lib/ai/tools/mod.ts";
import { expireProposals } from "../jobs/proposals.ts";
import { createProposal, listProposals } from "../lib/proposals/mod.ts";

const order = (extra: Record<string, unknown> = {}) => ({
  symbol: "AAPL",
  side: "buy",
  type: "market",
  timeInForce: "day",
  qty: 5,
  ...extra,
});

Deno.test("proposals API", async (t) => {
  const market = new ScriptedMarketData();
  market.setQuote("AAPL", { bid: 99.9, ask: 100.1, last: 100 });
  const app = await openTestApp({ RATE_LIMIT_PER_MINUTE: "100000" }, { market: () => market });
  const { db } = app.services;
  try {
    const me = await signUp(app.app);
    const other = await signUp(app.app);
    const s = { t: app, bearer: me.bearer };
    const o = { t: app, bearer: other.bearer };
    assert.equal(
      (await call(s, "PATCH", "/api/settings", { maxPositionPercent: 100 })).status,
      200,
    );
    const propose = async (extra: Record<string, unknown> = {}, note = "by hand") => {
      const res = await call(s, "POST", "/api/proposals", { order: order(extra), note });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return res.body;
    };
    const events = async (id: string) =>
      (await call(s, "GET", `/api/proposals/audit?proposalId=${id}`)).body.events as {
        event: string;
        actor: string;
        actorId: number | null;
        orderId: string | null;
        detail: Record<string, unknown>;
      }[];
    const ordersFor = async (key: string) =>
      (await db.query("select id from orders where client_order_id = $1", [key])).length;

    await t.step("bad bodies, queries and ids are 4xx with the error shape", async () => {
      const cases: [string, string, unknown, number][] = [
        ["POST", "/api/proposals", { order: order({ side: "hold" }), note: "x" }, 400],
        ["POST", "/api/proposals", { order: order({ clientOrderId: "mine" }) }, 400],
        ["POST", "/api/proposals", { order: order({ qty: undefined }) }, 400],
        ["POST", "/api/proposals", { order: order(), approved: true }, 400],
        ["POST", "/api/proposals", { order: order({ symbol: "SPX" }) }, 400],
        ["POST", "/api/proposals", "{not json", 400],
        // The column keeps 4 decimals: 0.00001 % would round to 0 and break its check (a 500).
        [
          "POST",
          "/api/proposals",
          { order: order({ type: "trailing_stop", trailPercent: 0.00001 }) },
          400,
        ],
        ["POST", "/api/proposals", { order: order({ symbol: "ZZZZZ" }) }, 422],
        ["GET", "/api/proposals?status=maybe", undefined, 400],
        ["GET", "/api/proposals/audit?proposalId=nope", undefined, 400],
        ["GET", "/api/proposals/not-a-uuid", undefined, 404],
        ["POST", "/api/proposals/not-a-uuid/approve", undefined, 404],
        ["POST", `/api/proposals/${crypto.randomUUID()}/reject`, { reason: 5 }, 400],
      ];
      for (const [method, path, body, status] of cases) {
        const res = await call(s, method, path, body);
        assert.equal(res.status, status, `${method} ${path}: ${JSON.stringify(res.body)}`);
        assert.equal(typeof res.body.error.code, "string");
        assert.equal(typeof res.body.error.message, "string");
      }
      const bad = await call(s, "POST", "/api/proposals", { order: order({ clientOrderId: "k" }) });
      assert.ok(
        bad.body.error.details.some((d: { path: string }) => d.path === "order.clientOrderId"),
      );
      assert.equal((await call(s, "GET", "/api/proposals")).body.proposals.length, 0);
    });

    let approvedId = "";
    await t.step("propose by hand; another user's proposal is 404; preview", async () => {
      const { proposal, order: placed, auto } = await propose({}, "buy the dip");
      approvedId = proposal.id;
      assert.equal(proposal.status, "pending");
      assert.equal(placed, null);
      assert.deepEqual(auto, { mode: "every_order" });
      assert.equal(proposal.clientOrderId, `proposal-${proposal.id}`);
      assert.deepEqual(proposal.source, { kind: "manual", ref: null });
      assert.equal(proposal.note, "buy the dip");
      assert.equal(proposal.expiresSession, "2026-11-04");
      assert.equal(proposal.expiresAt, "2026-11-04T21:00:00.000Z");
      assert.deepEqual(
        (await events(proposal.id)).map((e) => [e.event, e.actor, e.actorId]),
        [["created", "user", me.user.id]],
      );

      for (
        const [method, path] of [
          ["GET", `/api/proposals/${proposal.id}`],
          ["GET", `/api/proposals/${proposal.id}/preview`],
          ["POST", `/api/proposals/${proposal.id}/approve`],
          ["POST", `/api/proposals/${proposal.id}/reject`],
        ]
      ) {
        assert.equal((await call(o, method, path)).status, 404, `${method} ${path}`);
      }
      assert.equal((await call(o, "GET", "/api/proposals")).body.proposals.length, 0);
      assert.equal((await call(o, "GET", "/api/proposals/audit")).body.events.length, 0);

      const preview = await call(s, "GET", `/api/proposals/${proposal.id}/preview`);
      assert.equal(preview.status, 200, JSON.stringify(preview.body));
      assert.equal(preview.body.preview.estimatedCost, 500.5);
      assert.equal(preview.body.preview.refused, false);
      assert.ok(preview.body.preview.checks.length > 0);
      assert.equal(preview.body.halt, null);
      assert.equal(await ordersFor(proposal.clientOrderId), 0, "a preview places nothing");
    });

    await t.step("twenty concurrent approvals place one order", async () => {
      const answers = await Promise.all(
        Array.from({ length: 20 }, () => call(s, "POST", `/api/proposals/${approvedId}/approve`)),
      );
      const statuses = answers.map((a) => a.status);
      assert.equal(statuses.filter((x) => x === 201).length, 1, JSON.stringify(statuses));
      assert.ok(statuses.every((x) => x === 201 || x === 200 || x === 409), String(statuses));
      for (const a of answers.filter((a) => a.status === 409)) {
        assert.equal(a.body.error.code, "approval_in_progress");
      }
      const orderIds = new Set(answers.filter((a) => a.status < 300).map((a) => a.body.order.id));
      assert.equal(orderIds.size, 1);
      assert.equal(await ordersFor(`proposal-${approvedId}`), 1);

      const again = await call(s, "POST", `/api/proposals/${approvedId}/approve`);
      assert.deepEqual([again.status, again.body.duplicate], [200, true]);
      const { proposal } = (await call(s, "GET", `/api/proposals/${approvedId}`)).body;
      assert.equal(proposal.status, "approved");
      assert.equal(proposal.orderId, [...orderIds][0]);
      assert.equal(proposal.decidedBy, me.user.id);
      const log = await events(approvedId);
      assert.deepEqual(log.map((e) => e.event), ["approved", "created"]);
      assert.equal(log[0].orderId, proposal.orderId);
      const orders = await call(s, "GET", "/api/orders?status=all");
      assert.equal(orders.body.orders.length, 1, "the only order so far");
      assert.equal(orders.body.orders[0].clientOrderId, `proposal-${approvedId}`);

      const rejected = await call(s, "POST", `/api/proposals/${approvedId}/reject`, {});
      assert.deepEqual([rejected.status, rejected.body.error.code], [409, "proposal_approved"]);
    });

    await t.step("an approval that crashed after placing its order: the key finds it", async () => {
      const { proposal } = await propose({ qty: 1 });
      // The order went through with the proposal's key, then the process died: the proposal is
      // still pending and its claim's lease ran out.
      const placed = await app.services.broker.submit(
        me.user.id,
        {
          ...order({ qty: 1 }),
          clientOrderId: proposal.clientOrderId,
        } as Parameters<typeof app.services.broker.submit>[1],
      );
      await db.query(
        "update proposals set claimed_at = now() - interval '10 minutes', claim_token = $2 where id = $1",
        [proposal.id, crypto.randomUUID()],
      );
      const again = await call(s, "POST", `/api/proposals/${proposal.id}/approve`);
      assert.deepEqual(
        [again.status, again.body.duplicate],
        [200, true],
        JSON.stringify(again.body),
      );
      assert.equal(again.body.order.id, placed.order.id);
      assert.equal(again.body.proposal.orderId, placed.order.id);
      assert.equal(await ordersFor(proposal.clientOrderId), 1);

      // Rejecting one whose order exists records the approval instead.
      const { proposal: second } = await propose({ qty: 1 });
      await app.services.broker.submit(
        me.user.id,
        {
          ...order({ qty: 1 }),
          clientOrderId: second.clientOrderId,
        } as Parameters<typeof app.services.broker.submit>[1],
      );
      const rejected = await call(s, "POST", `/api/proposals/${second.id}/reject`, {});
      assert.deepEqual([rejected.status, rejected.body.error.code], [409, "proposal_approved"]);
      const after = (await call(s, "GET", `/api/proposals/${second.id}`)).body;
      assert.equal(after.proposal.status, "approved");
      assert.deepEqual(
        after.events.map((e: { event: string; actor: string }) => [e.event, e.actor]),
        [
          ["approved", "system"],
          ["created", "user"],
        ],
      );
    });

    await t.step("a refused check leaves the proposal pending with the reason", async () => {
      const { proposal } = await propose({ qty: 500 });
      const refused = await call(s, "POST", `/api/proposals/${proposal.id}/approve`);
      assert.equal(refused.status, 422, JSON.stringify(refused.body));
      assert.equal(refused.body.error.code, "order_refused");
      const refusedRules = (checks: { rule: string; ok: boolean }[]) =>
        checks.filter((c) => !c.ok).map((c) => c.rule);
      assert.deepEqual(refusedRules(refused.body.error.details.checks), ["max_order_value"]);
      const after = (await call(s, "GET", `/api/proposals/${proposal.id}`)).body.proposal;
      assert.equal(after.status, "pending");
      assert.equal(after.lastRefusal.code, "order_refused");
      assert.deepEqual(refusedRules(after.lastRefusal.checks), ["max_order_value"]);
      assert.match(after.lastRefusal.message, /Order refused/);
      assert.equal(await ordersFor(proposal.clientOrderId), 0);
      const log = await events(proposal.id);
      assert.deepEqual(log.map((e) => [e.event, e.actor]), [
        ["approval_refused", "user"],
        ["created", "user"],
      ]);
      // Raise the limit: the same proposal now goes through, once.
      await call(s, "PATCH", "/api/settings", { maxOrderValue: 100_000 });
      const ok = await call(s, "POST", `/api/proposals/${proposal.id}/approve`);
      assert.equal(ok.status, 201, JSON.stringify(ok.body));
      assert.equal(ok.body.proposal.lastRefusal, null);
      await call(s, "PATCH", "/api/settings", { maxOrderValue: 25_000 });
    });

    await t.step("reject: audited, and no approval after it", async () => {
      const { proposal } = await propose();
      const res = await call(s, "POST", `/api/proposals/${proposal.id}/reject`, {
        reason: "not today",
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.proposal.status, "rejected");
      assert.equal(res.body.proposal.decidedBy, me.user.id);
      const approve = await call(s, "POST", `/api/proposals/${proposal.id}/approve`);
      assert.deepEqual([approve.status, approve.body.error.code], [409, "proposal_rejected"]);
      const log = await events(proposal.id);
      assert.deepEqual(log.map((e) => e.event), ["rejected", "created"]);
      assert.deepEqual(log[0].detail, { reason: "not today" });
      assert.equal(await ordersFor(proposal.clientOrderId), 0);
      const listed = await call(s, "GET", "/api/proposals?status=rejected");
      assert.deepEqual(listed.body.proposals.map((p: { id: string }) => p.id), [proposal.id]);
    });

    await t.step("the analyst's tool makes a pending proposal and nothing approves", async () => {
      const tools = analystTools();
      assert.ok(tools.names().includes("propose_order"));
      assert.deepEqual(
        tools.names().filter((n) => /approve|place|submit|cancel|replace|reject/.test(n)),
        [],
      );
      // Even with auto-approval on, what the model proposes waits for the person.
      await call(s, "PATCH", "/api/settings", { approvalMode: "auto_within_limits" });
      const ctx = { services: app.services, userId: me.user.id };
      const made = await tools.call("c1", "propose_order", {
        symbol: "AAPL",
        side: "buy",
        qty: 1,
        reason: "RSI is low",
      }, ctx);
      assert.equal(made.ok, true, made.error);
      const out = made.output as { proposal: { id: string; status: string } };
      assert.equal(out.proposal.status, "pending");
      const stored = (await call(s, "GET", `/api/proposals/${out.proposal.id}`)).body;
      assert.equal(stored.proposal.status, "pending");
      assert.deepEqual(stored.proposal.source, { kind: "chat", ref: null });
      assert.equal(stored.proposal.note, "RSI is low");
      assert.deepEqual(stored.events.map((e: { actor: string }) => e.actor), ["analyst"]);
      assert.equal(await ordersFor(`proposal-${out.proposal.id}`), 0);
      const bad = await tools.call("c2", "propose_order", {
        symbol: "ZZZZZ",
        side: "buy",
        qty: 1,
        reason: "x",
      }, ctx);
      assert.equal(bad.ok, false);
      assert.match(bad.error!, /Unknown symbol/);
      await call(s, "PATCH", "/api/settings", { approvalMode: "every_order" });
      await call(s, "POST", `/api/proposals/${out.proposal.id}/reject`, {});
    });

    await t.step(
      "auto-approval within limits; over them it waits; the kill switch wins",
      async () => {
        const patch = await call(s, "PATCH", "/api/settings", {
          approvalMode: "auto_within_limits",
          autoApproveMaxOrderValue: 1_000,
          autoApproveMaxDailyValue: 1_500,
        });
        assert.equal(patch.status, 200, JSON.stringify(patch.body));
        // 5 shares at the ask of 100.10: $500.50 each.
        for (let i = 0; i < 2; i++) {
          const made = await propose();
          assert.equal(made.proposal.status, "approved", JSON.stringify(made));
          assert.equal(made.proposal.decidedVia, "auto");
          assert.equal(made.proposal.decidedBy, null);
          assert.equal(made.order.clientOrderId, made.proposal.clientOrderId);
          assert.equal(made.auto.value, 500.5);
          const log = await events(made.proposal.id);
          assert.deepEqual(log.map((e) => [e.event, e.actor]), [
            ["auto_approved", "auto"],
            ["created", "user"],
          ]);
          assert.equal(log[0].orderId, made.order.id);
        }
        const overDay = await propose();
        assert.equal(overDay.proposal.status, "pending");
        assert.equal(overDay.proposal.lastRefusal.code, "auto_limit_day");
        assert.match(overDay.proposal.lastRefusal.message, /\$1,001\.00 already auto-approved/);
        const overOrder = await propose({ qty: 20 });
        assert.equal(overOrder.proposal.status, "pending");
        assert.equal(overOrder.proposal.lastRefusal.code, "auto_limit_order");
        assert.equal(await ordersFor(overOrder.proposal.clientOrderId), 0);

        await call(s, "PATCH", "/api/settings", { autoApproveMaxDailyValue: 100_000 });
        assert.equal((await call(s, "POST", "/api/trading/halt", { reason: "lunch" })).status, 200);
        const halted = await propose({ qty: 1 });
        assert.equal(halted.proposal.status, "pending");
        assert.equal(halted.proposal.lastRefusal.code, "trading_halted");
        const byHand = await call(s, "POST", `/api/proposals/${halted.proposal.id}/approve`);
        assert.equal(byHand.status, 423);
        const preview = await call(s, "GET", `/api/proposals/${halted.proposal.id}/preview`);
        assert.equal(preview.body.halt.reason, "lunch");
        assert.equal(await ordersFor(halted.proposal.clientOrderId), 0);
        await call(s, "POST", "/api/trading/resume", {});
        const after = await call(s, "POST", `/api/proposals/${halted.proposal.id}/approve`);
        assert.equal(after.status, 201, JSON.stringify(after.body));
        await call(s, "PATCH", "/api/settings", { approvalMode: "every_order" });
      },
    );

    await t.step("proposals expire at their session's close: job and read", async () => {
      const { proposal: first } = await propose();
      const { proposal: second } = await propose();
      market.setState("postmarket");
      // The job (market clock read straight, not through the 5 s cache).
      assert.ok(await expireProposals(db, market) >= 2);
      const [row] = await db.query<{ status: string; decided_via: string }>(
        "select status, decided_via from proposals where id = $1",
        [first.id],
      );
      assert.deepEqual(row, { status: "expired", decided_via: "system" });
      const log = await events(first.id);
      assert.deepEqual(log.map((e) => [e.event, e.actor]), [["expired", "system"], [
        "created",
        "user",
      ]]);
      assert.equal(log[0].detail.session, "2026-11-04");
      const approve = await call(s, "POST", `/api/proposals/${second.id}/approve`);
      assert.deepEqual([approve.status, approve.body.error.code], [409, "proposal_expired"]);

      // Lazily on read (the market clock read straight): made after the close, it belongs to
      // the next session and lives until that one closes.
      const lateMade = await createProposal({ ...app.services, market }, me.user.id, {
        order: { symbol: "AAPL", side: "buy", type: "market", qty: 5 },
        source: { kind: "recommendation", ref: "rec-1" },
      });
      const late = lateMade.proposal;
      assert.equal(late.expiresSession, "2026-11-05");
      market.setState("open", "2026-11-05");
      const pending = await listProposals({ db, market }, me.user.id, { status: "pending" });
      assert.ok(pending.some((p) => p.id === late.id));
      market.setState("postmarket", "2026-11-05");
      const expired = await listProposals({ db, market }, me.user.id, { status: "expired" });
      assert.ok(expired.some((p) => p.id === late.id));
      assert.equal((await events(late.id))[0].event, "expired");
      market.setState("open", "2026-11-04");
    });

    await t.step("the audit log is append-only; deleting the account still works", async () => {
      for (
        const sql of [
          "update proposal_events set event = 'approved'",
          "delete from proposal_events",
          "truncate proposal_events",
        ]
      ) {
        await assert.rejects(db.query(sql), /append-only/, sql);
      }
      await assert.rejects(
        db.query("delete from proposals where user_id = $1", [me.user.id]),
        /append-only/,
      );
      const [{ n }] = await db.query<{ n: number }>(
        "select count(*)::int as n from proposal_events where user_id = $1",
        [me.user.id],
      );
      assert.ok(n > 10);
      const theirs = await call(o, "POST", "/api/proposals", { order: order(), note: "" });
      assert.equal(theirs.status, 201);
      await db.query("delete from users where id = $1", [other.user.id]);
      const [{ left }] = await db.query<{ left: number }>(
        "select count(*)::int as left from proposal_events where user_id = $1",
        [other.user.id],
      );
      assert.equal(left, 0);
    });
  } finally {
    await app.close();
    await market.close();
  }
});
