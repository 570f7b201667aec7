/**
 * Reads what the P&L report needs and builds it: the account's equity snapshots, cash flows
 * and fills from Postgres, the account and positions now from the broker, the S&P 500's daily
 * closes from the market data, and the market day of every instant (lib/market/market_days.ts).
 *
 * @module
 */
import type { Queryable } from "../../db/database.ts";
import type { Broker } from "../../broker/types.ts";
import { portfolioSnapshot } from "../../broker/snapshot.ts";
import type { MarketData } from "../../market/types.ts";
import type { DayOf } from "../../market/market_days.ts";
import type { PnlAnalytics, PnlPeriod } from "../../shared/pnl.ts";
import type { CashFlow, Valuation } from "./returns.ts";
import type { FillIn } from "./fifo.ts";
import { buildReport } from "./report.ts";

export const BENCHMARK = { symbol: "SPX", name: "S&P 500" } as const;

export interface AnalyticsDeps {
  db: Queryable;
  broker: Broker;
  market: MarketData;
  dayOf: DayOf;
}

export interface AccountHistory {
  valuations: Valuation[];
  flows: CashFlow[];
  fills: FillIn[];
}

/** The user's snapshots, cash flows and fills at `broker`, oldest first (three queries). */
export async function readHistory(
  db: Queryable,
  userId: number,
  broker: string,
): Promise<AccountHistory> {
  const [snaps, flows, trades] = await Promise.all([
    db.query<{ at: Date; equity: string }>(
      "select at, equity from equity_snapshots where user_id = $1 order by at",
      [userId],
    ),
    db.query<{ at: Date; kind: CashFlow["kind"]; amount: string; equity_before: string | null }>(
      "select at, kind, amount, equity_before from cash_flows where user_id = $1 order by at, id",
      [userId],
    ),
    db.query<
      { at: Date; symbol: string; side: "buy" | "sell"; quantity: string; notional: string }
    >(
      `select executed_at as at, symbol, side, quantity,
         coalesce(notional, round(quantity * price, 2)) as notional
       from trades where user_id = $1 and broker = $2 order by executed_at, id`,
      [userId, broker],
    ),
  ]);
  return {
    valuations: snaps.map((s) => ({ ms: s.at.getTime(), equity: Number(s.equity) })),
    flows: flows.map((f) => ({
      ms: f.at.getTime(),
      kind: f.kind,
      amount: Number(f.amount),
      equityBefore: f.equity_before === null ? null : Number(f.equity_before),
    })),
    fills: trades.map((t) => ({
      ms: t.at.getTime(),
      symbol: t.symbol,
      side: t.side,
      qty: t.quantity,
      notional: t.notional,
    })),
  };
}

type DayBar = { open: number; close: number };

/** The S&P 500's daily bars from `start` to `end` by date; empty when the source fails. */
export async function benchmarkBars(
  market: MarketData,
  start: string,
  end: string,
): Promise<{ bars: Map<string, DayBar>; error?: string }> {
  try {
    const got = await market.bars(BENCHMARK.symbol, { interval: "daily", start, end });
    return { bars: new Map(got.bars.map((b) => [b.time.slice(0, 10), b])) };
  } catch (err) {
    return { bars: new Map(), error: err instanceof Error ? err.message : String(err) };
  }
}

/** The report for `userId` over `period`, as `GET /api/analytics` answers it. */
export async function loadAnalytics(
  deps: AnalyticsDeps,
  userId: number,
  period: PnlPeriod,
  nowMs = Date.now(),
): Promise<PnlAnalytics> {
  const snapshot = await portfolioSnapshot(deps.broker, userId);
  const history = await readHistory(deps.db, userId, snapshot.source);
  const valuations = history.valuations;
  const last = valuations.at(-1);
  if (!last || last.ms < nowMs) valuations.push({ ms: nowMs, equity: snapshot.account.equity });
  const notes: string[] = [];
  if (!last) {
    notes.push(
      "No equity snapshots are stored for this account, so its history starts now " +
        "(a broker that keeps its own history is not sampled here).",
    );
  }
  let bars = new Map<string, DayBar>();
  if (valuations.length > 0) {
    const a = deps.dayOf(valuations[0].ms).date;
    const b = deps.dayOf(nowMs).date;
    // A replay that wrapped shows an earlier date today than at the start: ask for all of it.
    const got = await benchmarkBars(deps.market, a <= b ? a : "1900-01-01", a <= b ? b : a);
    bars = got.bars;
    if (got.error) notes.push(`The S&P 500 closes could not be read: ${got.error}`);
  }
  const report = buildReport({
    period,
    nowMs,
    dayOf: deps.dayOf,
    valuations,
    flows: history.flows,
    fills: history.fills,
    holdings: snapshot.positions.map((p) => ({
      symbol: p.symbol,
      qty: p.qty,
      marketValue: p.marketValue,
    })),
    benchmark: (date) => bars.get(date) ?? null,
  });
  return {
    ...report,
    notes: [...report.notes, ...notes],
    benchmark: { ...BENCHMARK, source: deps.market.source },
    source: snapshot.source,
    prices: snapshot.prices,
  };
}
