/**
 * The whole report on a small account worked out by hand: four market days, a deposit on the
 * third, three symbols traded.
 */
import assert from "node:assert/strict";
import { buildReport, daysOfSorted, periodTest, type ReportInput } from "./report.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const DATES = ["2020-01-02", "2020-01-03", "2020-01-06", "2020-01-07"];
const dayOf = (ms: number) => {
  const session = Math.floor(ms / DAY);
  return { session, date: DATES[session] ?? `later-${session}` };
};
/** Day `d` at `h` o'clock (UTC). */
const at = (d: number, h: number) => d * DAY + h * HOUR;
const SPX: Record<string, { open: number; close: number }> = {
  "2020-01-02": { open: 2990, close: 3000 },
  "2020-01-03": { open: 3000, close: 3030 },
  "2020-01-06": { open: 3030, close: 3000 },
  "2020-01-07": { open: 3000, close: 3090 },
};

function input(period: ReportInput["period"]): ReportInput {
  return {
    period,
    nowMs: at(3, 21),
    dayOf,
    valuations: [
      { ms: at(0, 21), equity: 10_000 }, // opened
      { ms: at(1, 21), equity: 10_500 }, // +5 %
      { ms: at(2, 17), equity: 12_290 }, // 10,290 (−2 %) + 2,000 deposited
      { ms: at(2, 21), equity: 12_535.8 }, // 12,290 × 1.02
      { ms: at(3, 21), equity: 13_789.38 }, // 12,535.80 × 1.10
    ],
    flows: [{ ms: at(2, 17), amount: 2000, kind: "deposit", equityBefore: 10_290 }],
    fills: [
      { ms: at(0, 15), symbol: "AAPL", side: "buy", qty: 10, notional: 1000 },
      { ms: at(1, 15), symbol: "AAPL", side: "buy", qty: 10, notional: 1100 },
      { ms: at(1, 15), symbol: "MSFT", side: "buy", qty: 5, notional: 1000 },
      { ms: at(1, 16), symbol: "XOM", side: "sell", qty: 10, notional: 500 },
      { ms: at(2, 15), symbol: "MSFT", side: "sell", qty: 5, notional: 950 },
      { ms: at(3, 15), symbol: "AAPL", side: "sell", qty: 15, notional: 1800 },
      { ms: at(3, 15), symbol: "XOM", side: "buy", qty: 10, notional: 450 },
    ],
    holdings: [{ symbol: "AAPL", qty: 5, marketValue: 625 }],
    benchmark: (d) => SPX[d] ?? null,
  };
}

const near = (a: number | null, b: number, tol = 1e-9) =>
  assert.ok(a !== null && Math.abs(a - b) <= tol, `${a} vs ${b}`);

Deno.test("ALL: the hand-computed account", () => {
  const r = buildReport(input("ALL"));
  const m = r.metrics;
  // Daily returns: day 1 +5 %; day 2 0.98 × 1.02 − 1 = −0.0004 (the deposit is no gain);
  // day 3 +10 %. TWR = 1.05 × 0.9996 × 1.10 − 1 = 0.154538.
  assert.deepEqual(r.daily.map((d) => d.date), DATES);
  near(r.daily[1].ret, 0.05);
  near(r.daily[2].ret, -0.0004);
  near(r.daily[3].ret, 0.1);
  near(m.twr.value, 0.154538);
  // P&L = 13,789.38 − 10,000 − 2,000 deposited = 1,789.38.
  assert.equal(m.pnl.value, 1789.38);
  // Money-weighted: the deposit came 44 h into the 72 h period, t = 44/72; R solves
  // 10,000(1 + R) + 2,000(1 + R)^(28/72) = 13,789.38 → R = 0.16658745 (bisection by hand-run
  // script; checked here by putting R back in).
  near(m.mwr.value, 0.16658745, 1e-7);
  const R = m.mwr.value!;
  near(10_000 * (1 + R) + 2000 * (1 + R) ** (28 / 72), 13_789.38, 1e-6);
  // Sharpe: mean = 0.1496 / 3 = 0.0498667, sample sd = 0.0502001,
  // × √252 = 15.874508 → 15.769058. Sortino: downside √(0.0004² / 3) = 0.000230940,
  // 0.0498667 / 0.000230940 × 15.874508 = 3427.7666.
  near(m.sharpe.value, 15.769058, 1e-5);
  near(m.sortino.value, 3427.7666, 1e-3);
  // Drawdown on daily closes of growth: 1, 1.05, 1.04958, 1.154538 → 1 − 1.04958/1.05 = 0.0004,
  // peak day 1, trough day 2, recovered day 3.
  near(m.maxDrawdown.value, 0.0004);
  assert.deepEqual(r.drawdown, {
    peakDate: "2020-01-03",
    troughDate: "2020-01-06",
    recoveryDate: "2020-01-07",
  });
  // Round trips (FIFO): MSFT bought for 1,000, sold for 950 → −50; XOM shorted for 500,
  // covered for 450 → +50. AAPL is still open. Win rate 1/2, average win 50, loss −50.
  assert.equal(m.roundTrips.value, 2);
  assert.equal(m.winRate.value, 0.5);
  assert.equal(m.avgWin.value, 50);
  assert.equal(m.avgLoss.value, -50);
  // Per symbol: AAPL sold 15 for 1,800: lot 1 (10 for 1,000) → 1,200 − 1,000 = +200, lot 2
  // (5 of 10 for 1,100) → 600 − 550 = +50; 5 left costing 550, worth 625 → unrealized +75.
  assert.deepEqual(r.symbols, [
    { symbol: "AAPL", realized: 250, qty: 5, unrealized: 75, marketValue: 625, roundTrips: 0 },
    { symbol: "MSFT", realized: -50, qty: 0, unrealized: null, marketValue: null, roundTrips: 1 },
    { symbol: "XOM", realized: 50, qty: 0, unrealized: null, marketValue: null, roundTrips: 1 },
  ]);
  // S&P 500 over the same days: 3,090 / 3,000 − 1 = 0.03; excess 0.154538 − 0.03 = 0.124538.
  near(m.benchmarkReturn.value, 0.03);
  near(m.excessReturn.value, 0.124538);
  near(r.daily[1].benchmarkCumulative, 0.01);
  // Monthly: all in January: the TWR.
  assert.equal(r.monthly.length, 1);
  near(r.monthly[0].ret, 0.154538);
  assert.equal(r.cashFlows.length, 1);
  for (const metric of Object.values(m)) assert.ok(metric.formula.length > 10);
});

Deno.test("1D: measured from yesterday's last valuation", () => {
  const r = buildReport(input("1D"));
  assert.equal(r.from!.equity, 12_535.8);
  near(r.metrics.twr.value, 0.1);
  assert.equal(r.metrics.pnl.value, 1253.58);
  assert.equal(r.metrics.mwr.value, null, "no flow today");
  assert.ok(r.metrics.mwr.reason);
  assert.equal(r.metrics.sharpe.value, null, "one day");
  near(r.metrics.benchmarkReturn.value, 0.03); // 3,090 / 3,000 − 1
  // Only today's closes count: XOM's cover (+50), not MSFT's sale (yesterday), so MSFT, flat
  // and quiet today, has no row.
  assert.equal(r.metrics.roundTrips.value, 1);
  assert.deepEqual(r.symbols.map((s) => [s.symbol, s.realized]), [["AAPL", 250], ["XOM", 50]]);
});

Deno.test("an account with one valuation answers honestly: nothing to measure yet", () => {
  const r = buildReport({
    ...input("1M"),
    valuations: [{ ms: at(3, 21), equity: 10_000 }],
    flows: [],
    fills: [],
    holdings: [],
  });
  assert.equal(r.metrics.twr.value, null);
  assert.equal(r.metrics.sharpe.value, null);
  assert.equal(r.metrics.winRate.value, null);
  assert.equal(r.metrics.benchmarkReturn.value, null);
  assert.equal(r.metrics.pnl.value, 0);
  for (const m of Object.values(r.metrics)) {
    assert.ok(m.value === null ? !!m.reason : Number.isFinite(m.value));
  }
  const none = buildReport({ ...input("1M"), valuations: [], flows: [], fills: [] });
  assert.equal(none.from, null);
  // Opened today, traded today: the S&P 500 from today's open, 3,090 / 3,000 − 1 = 0.03.
  const today = buildReport({
    ...input("1D"),
    valuations: [{ ms: at(3, 15), equity: 10_000 }, { ms: at(3, 21), equity: 10_100 }],
    flows: [],
  });
  near(today.metrics.twr.value, 0.01);
  near(today.metrics.benchmarkReturn.value, 0.03);
  assert.ok(Object.values(none.metrics).every((m) => m.value === null && m.reason));
  assert.deepEqual(
    [none.metrics.sharpe.unit, none.metrics.pnl.unit, none.metrics.roundTrips.unit],
    ["ratio", "USD", "count"],
  );
});

Deno.test("periods count sessions back from today; YTD stays inside this pass's year", () => {
  const today = { session: 300, date: "2020-03-02" };
  assert.equal(periodTest("1D", today)({ session: 299, date: "x" }), false);
  assert.equal(periodTest("1W", today)({ session: 296, date: "x" }), true);
  assert.equal(periodTest("1W", today)({ session: 295, date: "x" }), false);
  assert.equal(periodTest("1M", today)({ session: 280, date: "x" }), true);
  assert.equal(periodTest("1M", today)({ session: 279, date: "x" }), false);
  assert.equal(periodTest("YTD", today)({ session: 260, date: "2020-01-02" }), true);
  assert.equal(periodTest("YTD", today)({ session: 255, date: "2019-12-31" }), false);
  // A wrapped replay shows 2020 again a pass later: the earlier pass is not this year.
  assert.equal(periodTest("YTD", today)({ session: 10, date: "2020-01-15" }), false);
  assert.equal(periodTest("ALL", today)({ session: -5, date: "x" }), true);
});

Deno.test("days of sorted instants by bisection agree with asking each one", () => {
  let calls = 0;
  const counted = (ms: number) => {
    calls++;
    return dayOf(ms);
  };
  const instants = Array.from({ length: 2000 }, (_, i) => i * (4 * DAY / 2000));
  const days = daysOfSorted(instants, counted);
  for (const ms of instants) assert.deepEqual(days.get(ms), dayOf(ms));
  assert.ok(calls < 200, `${calls} calls for 4 days`);
});

Deno.test("a reset is a cash flow, not a gain: P&L and TWR step over it", () => {
  // 10,000 falls to 9,000 (−10 %), the account is reset to 100,000 (a flow of +91,000 on the
  // 9,000 it replaces), then gains 1 % → 101,000. TWR = 0.9 × 1.01 − 1 = −0.091;
  // P&L = 101,000 − 10,000 − 91,000 = 0 (−1,000 before the reset, +1,000 after).
  const r = buildReport({
    ...input("ALL"),
    valuations: [
      { ms: at(0, 21), equity: 10_000 },
      { ms: at(1, 18), equity: 100_000 },
      { ms: at(1, 21), equity: 101_000 },
    ],
    flows: [{ ms: at(1, 18), amount: 91_000, kind: "reset", equityBefore: 9_000 }],
    nowMs: at(1, 21),
  });
  near(r.metrics.twr.value, -0.091);
  assert.equal(r.metrics.pnl.value, 0);
  // Money-weighted: 10,000(1 + R) + 91,000(1 + R)^(3/24) = 101,000 holds at R = 0: the money
  // put in is exactly what is there, as the P&L of 0 says.
  near(r.metrics.mwr.value, 0, 1e-12);
  assert.deepEqual(r.cashFlows, [{
    time: new Date(at(1, 18)).toISOString(),
    kind: "reset",
    amount: 91_000,
  }]);
  assert.equal(r.daily[1].flow, 91_000);
});

Deno.test("the curve keeps at most 500 points, the first and the last among them", () => {
  const valuations = Array.from({ length: 5000 }, (_, i) => ({
    ms: at(0, 1) + i * 60_000,
    equity: 10_000 + i,
  }));
  const r = buildReport({ ...input("ALL"), valuations, flows: [], nowMs: valuations[4999].ms });
  assert.ok(r.curve.length <= 500 && r.curve.length > 400, String(r.curve.length));
  assert.equal(r.curve[0].equity, 10_000);
  assert.equal(r.curve.at(-1)!.equity, 14_999);
  near(r.curve.at(-1)!.cumulative, 0.4999);
  const times = r.curve.map((p) => Date.parse(p.time));
  assert.ok(times.every((t, i) => i === 0 || t > times[i - 1]));
});
