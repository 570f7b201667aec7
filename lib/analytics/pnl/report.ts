/**
 * The P&L analytics of one account over one period, from its valuations, cash flows, fills and
 * holdings: pure, so the API, the CSV export and the benchmark all compute the same thing.
 *
 * Days are market sessions (`DayOf`): in replay, the replayed day each valuation was taken on.
 * A period is a number of sessions ending with today's (1D: today's; 1W: 5; 1M: 21; 3M: 63;
 * 1Y: 252; YTD: the sessions of today's calendar year; ALL: everything). It is measured from
 * its base: the last valuation before the period's first session (or the account's first
 * valuation when it opened inside the period).
 *
 * @module
 */
import type { DayOf, MarketDay } from "../../market/market_days.ts";
import type {
  CurvePoint,
  DailyRow,
  Metric,
  MetricKey,
  MonthRow,
  PnlAnalytics,
  PnlPeriod,
  SymbolRow,
} from "../../shared/pnl.ts";
import { type CashFlow, chain, groupReturns, subPeriods, type Valuation } from "./returns.ts";
import { maxDrawdown, sharpe, sortino } from "./stats.ts";
import { moneyWeightedReturn } from "./irr.ts";
import { type FillIn, matchFifo, tripStats } from "./fifo.ts";

export const MAX_CURVE_POINTS = 500;

const SESSIONS: Record<Exclude<PnlPeriod, "YTD" | "ALL">, number> = {
  "1D": 1,
  "1W": 5,
  "1M": 21,
  "3M": 63,
  "1Y": 252,
};

/** Whether a market day falls in `period` as seen on `today`. */
export function periodTest(period: PnlPeriod, today: MarketDay): (d: MarketDay) => boolean {
  if (period === "ALL") return () => true;
  if (period === "YTD") {
    const year = today.date.slice(0, 4);
    // The session bound keeps an earlier pass of a wrapped replay out of "this year".
    return (d) => d.session > today.session - 262 && d.date.slice(0, 4) === year;
  }
  const first = today.session - SESSIONS[period] + 1;
  return (d) => d.session >= first;
}

export interface Holding {
  symbol: string;
  qty: number;
  marketValue: number | null;
}

export interface ReportInput {
  period: PnlPeriod;
  nowMs: number;
  dayOf: DayOf;
  /** Ascending; the last one is the equity now. */
  valuations: Valuation[];
  flows: CashFlow[];
  fills: FillIn[];
  holdings: Holding[];
  /** The S&P 500's open and close (so far, for today) on a market date, null when unknown. */
  benchmark: (date: string) => { open: number; close: number } | null;
}

export type Report = Omit<PnlAnalytics, "source" | "prices" | "benchmark">;

type MetricSpec = { label: string; unit: Metric["unit"]; formula: string };

/** Each metric's label, unit and formula: what the API says beside every value. */
export const FORMULAS: Record<MetricKey, MetricSpec> = {
  twr: {
    label: "Time-weighted return",
    unit: "fraction",
    formula: "Π(1 + rᵢ) − 1, rᵢ = (Vᵢ − Fᵢ) / Vᵢ₋₁ − 1 between consecutive valuations V, " +
      "F = cash added (+) or taken out (−) in between",
  },
  mwr: {
    label: "Money-weighted return",
    unit: "fraction",
    formula: "R solving V_base·(1 + R) + Σₖ Fₖ·(1 + R)^(1 − tₖ) = V_end, tₖ = share of the " +
      "period before flow k (IRR of the period, not annualised)",
  },
  pnl: {
    label: "P&L",
    unit: "USD",
    formula: "V_end − V_base − Σ F (cash flows are not gains)",
  },
  sharpe: {
    label: "Sharpe ratio",
    unit: "ratio",
    formula: "mean(r_d) / stdev(r_d) × √252 over daily returns r_d; risk-free rate 0",
  },
  sortino: {
    label: "Sortino ratio",
    unit: "ratio",
    formula: "mean(r_d) / √(Σ min(r_d, 0)² / n) × √252; target and risk-free rate 0",
  },
  maxDrawdown: {
    label: "Max drawdown",
    unit: "fraction",
    formula: "max over days t of 1 − Wₜ / max_{s ≤ t} Wₛ, W = growth of $1 at the TWR",
  },
  winRate: {
    label: "Win rate",
    unit: "fraction",
    formula: "round trips with P&L > 0 / round trips closed (flat to flat, FIFO lots)",
  },
  avgWin: {
    label: "Average win",
    unit: "USD",
    formula: "Σ P&L of winning round trips / their number",
  },
  avgLoss: {
    label: "Average loss",
    unit: "USD",
    formula: "Σ P&L of losing round trips / their number",
  },
  roundTrips: {
    label: "Round trips",
    unit: "count",
    formula: "positions closed back to flat in the period",
  },
  benchmarkReturn: {
    label: "S&P 500",
    unit: "fraction",
    formula: "S&P 500 close on the last day / close on the base day − 1 (same market days; " +
      "from the day's open when the account opened that day)",
  },
  excessReturn: {
    label: "vs S&P 500",
    unit: "fraction",
    formula: "time-weighted return − S&P 500 return",
  },
};

function metric(
  key: MetricKey,
  v: number | null | { value: number | null; reason?: string },
  reason?: string,
): Metric {
  const { label, unit, formula } = FORMULAS[key];
  const value = typeof v === "object" && v !== null ? v.value : v;
  const why = typeof v === "object" && v !== null ? v.reason : reason;
  const ok = value !== null && Number.isFinite(value);
  return {
    label,
    value: ok ? value : null,
    unit,
    formula,
    ...(ok ? {} : { reason: why ?? reason ?? "not enough data" }),
  };
}

const round = (x: number, dp: number) => Math.round(x * 10 ** dp) / 10 ** dp;
const iso = (ms: number) => new Date(ms).toISOString();

export function buildReport(input: ReportInput): Report {
  const { period, nowMs, valuations } = input;
  const memo = daysOfSorted(valuations.map((v) => v.ms), input.dayOf);
  const dayOf = (ms: number) => {
    let d = memo.get(ms);
    if (!d) memo.set(ms, d = input.dayOf(ms));
    return d;
  };
  const inPeriod = periodTest(period, dayOf(nowMs));
  const first = valuations.findIndex((v) => inPeriod(dayOf(v.ms)));
  if (valuations.length === 0 || first < 0) return emptyReport(period);
  const base = valuations[Math.max(0, first - 1)];
  const vals = valuations.slice(Math.max(0, first - 1));
  const end = vals[vals.length - 1];
  const flows = input.flows.filter((f) => f.ms > base.ms && f.ms <= end.ms);
  const subs = subPeriods(vals, flows);
  const twr = chain(subs.map((s) => s.ret));
  const netFlow = flows.reduce((s, f) => s + f.amount, 0);
  const baseDay = dayOf(base.ms);

  // Daily rows: the base, then each market day with a valuation.
  const days = groupReturns(subs, dayOf, (a, b) => a.session === b.session);
  // The S&P 500 is measured from the base day's close, or from its open when the base is a
  // valuation inside the period's first day (an account opened that day).
  const firstDay = days[0]?.key;
  const baseBar = input.benchmark(baseDay.date);
  const baseClose = baseBar === null
    ? null
    : firstDay && firstDay.session === baseDay.session
    ? baseBar.open
    : baseBar.close;
  const daily: DailyRow[] = [{
    date: baseDay.date,
    session: baseDay.session,
    time: iso(base.ms),
    equity: base.equity,
    flow: 0,
    ret: null,
    cumulative: 0,
    // The value the comparison starts from: the base day's close, or its open (see above).
    benchmarkClose: baseClose,
    benchmarkCumulative: baseClose === null ? null : 0,
  }];
  let growth = 1;
  for (const d of days) {
    growth *= 1 + d.ret;
    const close = input.benchmark(d.key.date)?.close ?? null;
    daily.push({
      date: d.key.date,
      session: d.key.session,
      time: iso(d.lastMs),
      equity: d.equity,
      flow: round(d.flow, 2),
      ret: d.ret,
      cumulative: growth - 1,
      benchmarkClose: close,
      benchmarkCumulative: close === null || baseClose === null ? null : close / baseClose - 1,
    });
  }
  const dailyReturns = days.map((d) => d.ret);

  const monthly: MonthRow[] = [];
  for (const d of daily.slice(1)) {
    const month = d.date.slice(0, 7);
    const last = monthly.at(-1);
    if (last && last.month === month) last.ret = (1 + last.ret) * (1 + d.ret!) - 1;
    else monthly.push({ month, ret: d.ret! });
  }

  const dd = maxDrawdown(daily.map((d) => 1 + d.cumulative));
  const dateAt = (i: number | null | undefined) => (i == null ? null : daily[i].date);

  // Curve: every valuation from the base, thinned, with the TWR so far.
  const raw: RawPoint[] = [{ ms: base.ms, equity: base.equity, cumulative: 0 }];
  let g = 1;
  for (const s of subs) {
    if (s.ret !== null) g *= 1 + s.ret;
    raw.push({ ms: s.toMs, equity: s.equity, cumulative: g - 1 });
  }
  const curve: CurvePoint[] = thin(raw, MAX_CURVE_POINTS).map((p) => ({
    time: iso(p.ms),
    date: dayOf(p.ms).date,
    equity: p.equity,
    cumulative: p.cumulative,
  }));

  // Money-weighted only when money moved: without flows it is the TWR over again.
  const span = end.ms - base.ms;
  const mwr = flows.length === 0
    ? { value: null, reason: "no cash was added, taken out or reset in the period" }
    : span <= 0
    ? { value: null, reason: "the period has no length" }
    : moneyWeightedReturn(
      [
        { t: 0, amount: base.equity },
        ...flows.map((f) => ({ t: (f.ms - base.ms) / span, amount: f.amount })),
      ],
      end.equity,
    );

  const fifo = matchFifo(input.fills.filter((f) => f.ms <= nowMs));
  const trips = fifo.roundTrips.filter((t) => t.closeMs > base.ms);
  const stats = tripStats(trips);
  const noTrips = "no round trip was closed in the period";

  const last = daily[daily.length - 1];
  const benchmarkReturn = daily.length < 2
    ? { value: null, reason: "no market day after the base" }
    : last.benchmarkCumulative === null
    ? { value: null, reason: "no S&P 500 close for the base day or the last day" }
    : { value: last.benchmarkCumulative };

  const metrics: Record<MetricKey, Metric> = {
    twr: metric("twr", subs.length ? twr : null, "no valuation after the base"),
    mwr: metric("mwr", mwr),
    pnl: metric("pnl", round(end.equity - base.equity - netFlow, 2)),
    sharpe: metric("sharpe", sharpe(dailyReturns)),
    sortino: metric("sortino", sortino(dailyReturns)),
    maxDrawdown: metric("maxDrawdown", dd?.depth ?? null, "needs a market day"),
    winRate: metric("winRate", stats.winRate, noTrips),
    avgWin: metric(
      "avgWin",
      stats.avgWin === null ? null : round(stats.avgWin, 2),
      trips.length ? "no winning round trip" : noTrips,
    ),
    avgLoss: metric(
      "avgLoss",
      stats.avgLoss === null ? null : round(stats.avgLoss, 2),
      trips.length ? "no losing round trip" : noTrips,
    ),
    roundTrips: metric("roundTrips", stats.count),
    benchmarkReturn: metric("benchmarkReturn", benchmarkReturn),
    excessReturn: metric(
      "excessReturn",
      benchmarkReturn.value === null || !subs.length ? null : twr - benchmarkReturn.value,
      "needs the S&P 500 return",
    ),
  };

  return {
    period,
    from: { time: iso(base.ms), date: baseDay.date, equity: base.equity },
    to: { time: iso(end.ms), date: dayOf(end.ms).date, equity: end.equity },
    metrics,
    drawdown: {
      peakDate: dateAt(dd?.peak),
      troughDate: dateAt(dd?.trough),
      recoveryDate: dateAt(dd?.recovery),
    },
    curve,
    daily,
    monthly,
    symbols: symbolRows(fifo, trips, base.ms, input.holdings),
    cashFlows: flows.map((f) => ({ time: iso(f.ms), kind: f.kind, amount: f.amount })),
    notes: NOTES,
    riskFreeRate: 0,
  };
}

export const NOTES = [
  "Days are market sessions; with replayed prices each valuation belongs to the historical " +
  "day the replay showed when it was taken, and the S&P 500 closes are those days' closes.",
  "A period counts sessions back from today (1W = 5, 1M = 21, 3M = 63, 1Y = 252; YTD = this " +
  "session's calendar year) and is measured from the last valuation before it.",
  "Cash added, taken out or reset is a cash flow, never a gain or loss.",
  "Sharpe and Sortino use daily returns of days with a valuation, √252 and a risk-free rate of 0.",
  "Realized P&L per symbol matches lots first in, first out; the paper ledger's own figure uses " +
  "average cost, which splits the same round trip differently while it is partly open.",
];

/**
 * The market day of each of `sorted` instants (ascending). Sessions never go back as time goes
 * on, so when both ends of a run share a session every instant between does too: bisecting
 * runs asks `dayOf` about twice per day boundary instead of once per instant.
 */
export function daysOfSorted(sorted: number[], dayOf: DayOf): Map<number, MarketDay> {
  const out = new Map<number, MarketDay>();
  if (sorted.length === 0) return out;
  const at = (i: number) => {
    let d = out.get(sorted[i]);
    if (!d) out.set(sorted[i], d = dayOf(sorted[i]));
    return d;
  };
  const fill = (lo: number, hi: number) => {
    const a = at(lo);
    const b = at(hi);
    if (a.session === b.session) {
      for (let i = lo + 1; i < hi; i++) out.set(sorted[i], a);
      return;
    }
    if (hi - lo < 2) return;
    const mid = (lo + hi) >> 1;
    fill(lo, mid);
    fill(mid, hi);
  };
  fill(0, sorted.length - 1);
  return out;
}

function symbolRows(
  fifo: ReturnType<typeof matchFifo>,
  trips: { symbol: string }[],
  fromMs: number,
  holdings: Holding[],
): SymbolRow[] {
  const realized = new Map<string, number>();
  for (const c of fifo.closed) {
    if (c.closeMs <= fromMs) continue;
    realized.set(c.symbol, (realized.get(c.symbol) ?? 0) + c.pnlCents);
  }
  const tripCount = new Map<string, number>();
  for (const t of trips) tripCount.set(t.symbol, (tripCount.get(t.symbol) ?? 0) + 1);
  const held = new Map(holdings.map((h) => [h.symbol, h]));
  const symbols = new Set([...realized.keys(), ...fifo.open.keys(), ...held.keys()]);
  return [...symbols].sort().map((symbol) => {
    const h = held.get(symbol);
    const open = fifo.open.get(symbol);
    const cost = (open?.costCents ?? 0) / 100;
    const marketValue = h?.marketValue ?? null;
    return {
      symbol,
      realized: (realized.get(symbol) ?? 0) / 100,
      qty: h?.qty ?? open?.qty ?? 0,
      unrealized: marketValue === null ? null : round(marketValue - cost, 2),
      marketValue,
      roundTrips: tripCount.get(symbol) ?? 0,
    };
  });
}

interface RawPoint {
  ms: number;
  equity: number;
  cumulative: number;
}

/** Keeps the first point and the last point of each of `max` equal time buckets. */
function thin(points: RawPoint[], max: number): RawPoint[] {
  if (points.length <= max) return points;
  const t0 = points[0].ms;
  // max − 1 buckets after the first point, which stays as it is.
  const width = Math.max(1, (points[points.length - 1].ms - t0) / (max - 2));
  const out: RawPoint[] = [points[0]];
  let bucket = 0;
  for (let i = 1; i < points.length; i++) {
    const b = Math.floor((points[i].ms - t0) / width);
    if (b === bucket && out.length > 1) out[out.length - 1] = points[i];
    else out.push(points[i]);
    bucket = b;
  }
  return out;
}

function emptyReport(period: PnlPeriod): Report {
  const none = "the account has no valuation yet";
  const metrics = Object.fromEntries(
    (Object.keys(FORMULAS) as MetricKey[]).map((k) => [
      k,
      metric(k, null, none),
    ]),
  ) as Record<MetricKey, Metric>;
  return {
    period,
    from: null,
    to: null,
    metrics,
    drawdown: { peakDate: null, troughDate: null, recoveryDate: null },
    curve: [],
    daily: [],
    monthly: [],
    symbols: [],
    cashFlows: [],
    notes: NOTES,
    riskFreeRate: 0,
  };
}
