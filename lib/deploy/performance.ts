/**
 * A deployment's live paper performance beside its backtest over the same days. Live: the
 * equity each evaluation recorded at its session's close (capital plus the P&L of the fills its
 * proposals produced, marked at that close) and the book now. Backtest: the same strategy
 * version run by the backtester from the deployment's first session to its last evaluated one,
 * starting with the deployment's capital. Both read the bars the backtester reads: the shipped
 * history, or Tradier's when it is the market data (`source` says which).
 *
 * @module
 */
import { prepare } from "../backtest/run.ts";
import { releaseRun, runBacktest } from "../backtest/engine.ts";
import type { Queryable } from "../db/database.ts";
import type { BarSource, DataSource } from "../backtest/bars.ts";
import type { History } from "../market/replay/history.ts";
import { getStrategy } from "../strategy/repo.ts";
import { bookOf, markBook, round2 } from "./book.ts";
import { type Deployment, deploymentFills, listEvaluations } from "./repo.ts";

export interface CurvePoint {
  date: string;
  equity: number;
}

export interface Performance {
  source: DataSource;
  deploymentId: number;
  capital: number;
  /** First and last session compared; null before the first evaluation. */
  from: string;
  through: string | null;
  live: {
    sessions: number;
    equity: number;
    returnPct: number;
    cash: number;
    realized: number;
    unrealized: number;
    orders: number;
    filledOrders: number;
    holdings: { symbol: string; qty: number; avgPrice: number; close: number | null }[];
    curve: CurvePoint[];
  };
  backtest: {
    equity: number;
    returnPct: number;
    trades: number;
    open: number;
    curve: CurvePoint[];
  } | null;
}

const pct = (equity: number, capital: number) => round2(100 * (equity / capital - 1));

export async function deploymentPerformance(
  db: Queryable,
  bars: BarSource,
  history: History,
  dep: Deployment,
): Promise<Performance> {
  const evals = (await listEvaluations(db, dep.id, 5000))
    .filter((e) => e.equity !== null).reverse();
  const curve = evals.map((e) => ({ date: e.session, equity: e.equity! }));
  const fills = await deploymentFills(db, dep.userId, dep.id);
  const book = bookOf(dep.capital, fills);
  const through = curve.at(-1)?.date ?? null;

  let backtest: Performance["backtest"] = null;
  const closes = new Map<string, number>();
  if (through) {
    const strategy = await getStrategy(db, dep.userId, dep.strategyId, dep.strategyVersion);
    if (strategy) {
      const { compiled, panel } = await prepare(
        bars,
        {
          rules: { ...strategy.rules, startingCash: dep.capital },
          start: dep.startedOn,
          end: through,
        },
        0,
        history,
      );
      const run = runBacktest(compiled, panel);
      const last = panel.dates.length - 1;
      panel.symbols.forEach((s, i) => {
        const c = panel.close[i][last];
        if (c > 0) closes.set(s, c);
      });
      const eq = round2(run.equity[run.equity.length - 1]);
      backtest = {
        equity: eq,
        returnPct: pct(eq, dep.capital),
        trades: run.trades.length,
        open: run.open.length,
        curve: run.dates.map((date, i) => ({ date, equity: round2(run.equity[i]) })),
      };
      releaseRun(run);
    }
  }
  const marked = markBook(book, (s) => closes.get(s) ?? null);
  const equity = curve.at(-1)?.equity ?? dep.capital;
  return {
    source: bars.source,
    deploymentId: dep.id,
    capital: dep.capital,
    from: dep.startedOn,
    through,
    live: {
      sessions: curve.length,
      equity,
      returnPct: pct(equity, dep.capital),
      cash: book.cash,
      realized: book.realized,
      unrealized: marked.unrealized,
      orders: fills.length,
      filledOrders: fills.filter((f) => f.filledQty > 0).length,
      holdings: [...book.holdings.values()].map((h) => ({
        symbol: h.symbol,
        qty: h.qty,
        avgPrice: round2(h.avgPrice),
        close: closes.get(h.symbol) ?? null,
      })),
      curve,
    },
    backtest,
  };
}
