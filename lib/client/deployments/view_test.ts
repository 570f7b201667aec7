import assert from "node:assert/strict";
import { lastText, limitsText, movesFor, performanceText } from "./view.ts";

Deno.test("deployment lines in words", () => {
  assert.equal(
    limitsText({ maxPositions: 3, maxOrderValue: 1000 }),
    "3 positions at most · $1,000.00 per order at most",
  );
  assert.equal(
    limitsText({ maxPositions: null, maxOrderValue: null }),
    "the strategy's own limits",
  );
  const base = {
    id: 1,
    strategyId: 2,
    strategyVersion: 1,
    strategyName: "x",
    capital: 1,
    limits: { maxPositions: null, maxOrderValue: null },
    status: "active" as const,
    startedOn: "2019-02-01",
  };
  assert.match(lastText(base), /Not evaluated yet/);
  assert.equal(
    lastText({
      ...base,
      last: {
        session: "2019-02-04",
        status: "done",
        proposalsMade: 1,
        ordersPlaced: 0,
        error: null,
      },
    }),
    "2019-02-04: 1 proposal, 0 orders placed.",
  );
  assert.match(
    lastText({
      ...base,
      last: {
        session: "2019-02-04",
        status: "halted",
        proposalsMade: 0,
        ordersPlaced: 0,
        error: null,
      },
    }),
    /halted/,
  );
  assert.deepEqual(movesFor("paused"), ["resume", "stop"]);
  assert.deepEqual(movesFor("stopped"), []);
  const p = performanceText({
    source: "replay",
    from: "2019-02-01",
    through: "2019-03-01",
    live: { sessions: 20, equity: 10_250, returnPct: 2.5, orders: 4 },
    backtest: { equity: 10_100, returnPct: 1, trades: 2 },
  });
  assert.equal(
    p.live,
    "$10,250.00 (+2.50 %) over 20 sessions, 4 orders · 2019-02-01 to 2019-03-01",
  );
  assert.equal(p.backtest, "$10,100.00 (+1.00 %), 2 closed trades · same days");
  assert.equal(p.label, "Paper (REPLAY)");
  const tradier = performanceText(
    { source: "tradier", from: "2024-06-03", through: null } as never,
  );
  assert.equal(tradier.label, "Paper (Tradier daily bars)");
});
