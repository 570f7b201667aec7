/**
 * Returns of an account whose value is known at instants (equity snapshots) and into or out of
 * which money moves (cash flows). Sub-period returns step over the flows, so a deposit is not a
 * gain and a withdrawal is not a loss; chaining them gives the time-weighted return.
 *
 * A flow counts in the sub-period that ends at the first valuation at or after it: that
 * valuation already holds the money. When the flow says what the equity was just before it
 * (`equityBefore`), that is a valuation too, so the market move up to the flow is measured on the
 * money that was there. Otherwise the move is assumed to have happened before the flow.
 *
 * @module
 */

/** The account's equity at an instant (epoch ms), in USD. */
export interface Valuation {
  ms: number;
  equity: number;
}

/** Money into (positive) or out of (negative) the account, USD. */
export interface CashFlow {
  ms: number;
  amount: number;
  kind: "deposit" | "withdrawal" | "reset";
  /** Equity just before the flow, when known. */
  equityBefore: number | null;
}

/** From one valuation to the next: the return rᵢ = (Vᵢ − Fᵢ) / Vᵢ₋₁ − 1. */
export interface SubPeriod {
  fromMs: number;
  toMs: number;
  /** Null when the starting value is not positive (no return is defined). */
  ret: number | null;
  /** Equity at the end. */
  equity: number;
  /** Net flow inside the sub-period. */
  flow: number;
}

/**
 * The sub-periods from `valuations[0]` on. Flows at or before the first valuation are already
 * in it and are left out; flows after the last valuation wait for the next one.
 */
export function subPeriods(valuations: Valuation[], flows: CashFlow[]): SubPeriod[] {
  if (valuations.length === 0) return [];
  const first = valuations[0].ms;
  // Order at one instant: the value before a flow, the flow, then a snapshot (written after it).
  const events: { ms: number; rank: number; equity?: number; flow?: number }[] = [];
  for (const v of valuations) events.push({ ms: v.ms, rank: 2, equity: v.equity });
  for (const f of flows) {
    if (f.ms <= first) continue;
    if (f.equityBefore !== null) events.push({ ms: f.ms, rank: 0, equity: f.equityBefore });
    events.push({ ms: f.ms, rank: 1, flow: f.amount });
  }
  events.sort((a, b) => a.ms - b.ms || a.rank - b.rank);
  const out: SubPeriod[] = [];
  let last: { ms: number; equity: number } | null = null;
  let pending = 0;
  for (const e of events) {
    if (e.flow !== undefined) {
      pending += e.flow;
      continue;
    }
    const equity = e.equity!;
    if (last) {
      out.push({
        fromMs: last.ms,
        toMs: e.ms,
        ret: last.equity > 0 ? (equity - pending) / last.equity - 1 : null,
        equity,
        flow: pending,
      });
    }
    last = { ms: e.ms, equity };
    pending = 0;
  }
  return out;
}

/** Π(1 + rᵢ) − 1 over the returns that are defined; 0 for none. */
export function chain(returns: Iterable<number | null>): number {
  let growth = 1;
  for (const r of returns) if (r !== null) growth *= 1 + r;
  return growth - 1;
}

/** Time-weighted return of the valuations with the flows between them. */
export function timeWeightedReturn(valuations: Valuation[], flows: CashFlow[]): number {
  return chain(subPeriods(valuations, flows).map((s) => s.ret));
}

/** A period's chained return, keyed by what groups it (a market day, a month). */
export interface PeriodReturn<K> {
  key: K;
  /** Chained return of the sub-periods that end inside it. */
  ret: number;
  /** Equity at its last valuation. */
  equity: number;
  /** Net flow inside it. */
  flow: number;
  /** Instant of its last valuation. */
  lastMs: number;
}

/**
 * Chains consecutive sub-periods whose end maps to the same key (`same` decides equality), so a
 * day's return is the product of its sub-periods, flows inside the day included.
 */
export function groupReturns<K>(
  subs: SubPeriod[],
  keyOf: (ms: number) => K,
  same: (a: K, b: K) => boolean,
): PeriodReturn<K>[] {
  const out: PeriodReturn<K>[] = [];
  let cur: (PeriodReturn<K> & { growth: number }) | null = null;
  for (const s of subs) {
    const key = keyOf(s.toMs);
    if (!cur || !same(cur.key, key)) {
      if (cur) out.push(finish(cur));
      cur = { key, ret: 0, equity: s.equity, flow: 0, lastMs: s.toMs, growth: 1 };
    }
    if (s.ret !== null) cur.growth *= 1 + s.ret;
    cur.equity = s.equity;
    cur.flow += s.flow;
    cur.lastMs = s.toMs;
  }
  if (cur) out.push(finish(cur));
  return out;
}

function finish<K>(p: PeriodReturn<K> & { growth: number }): PeriodReturn<K> {
  const { growth, ...rest } = p;
  return { ...rest, ret: growth - 1 };
}
