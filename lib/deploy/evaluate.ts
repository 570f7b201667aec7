/**
 * Evaluating a deployment at a session's close: the strategy version's compiled kernels over
 * the same bars the backtester loads (lib/backtest/run.ts `prepare`, from the deployment's
 * start with the rules' warm-up), read at the session's bar (lib/backtest/signals_at.ts); then
 * the decisions (decide.ts) become proposals through `createProposal`, which applies the user's
 * approval mode: pending by default, approved at once only when the user turned auto-approval
 * on and the order is within its limits. While the user's trading is halted nothing is
 * proposed, and the evaluation says so.
 *
 * Once per deployment per session: the evaluation row (deployment, session) is inserted first
 * and only the instance whose insert went in evaluates.
 *
 * @module
 */
import { prepare } from "../backtest/run.ts";
import { signalsAt } from "../backtest/signals_at.ts";
import type { MarketClock } from "../market/types.ts";
import { createProposal, expireDue } from "../proposals/mod.ts";
import type { Services } from "../services.ts";
import { getStrategy } from "../strategy/repo.ts";
import { bookOf, markBook } from "./book.ts";
import { decide } from "./decide.ts";
import {
  activeDeployments,
  busySymbols,
  claimEvaluation,
  type Deployment,
  deploymentFills,
  deploymentRef,
  finishEvaluation,
} from "./repo.ts";

export type DeployServices = Pick<
  Services,
  "db" | "market" | "broker" | "halts" | "backtests" | "log"
>;

/** The session whose close has passed by `clock`, or null while it is still to come. */
export function closedSession(clock: MarketClock): { date: string; no: number } | null {
  if (clock.state === "open" || clock.state === "premarket") return null;
  if (clock.nextCloseSession === null || clock.nextCloseSession <= clock.session) return null;
  return { date: clock.date, no: clock.session };
}

export interface EvaluationOutcome {
  deploymentId: number;
  /** `claimed_elsewhere`: another instance (or an earlier run) evaluated this session. */
  outcome: "done" | "halted" | "failed" | "claimed_elsewhere";
  proposals: number;
  orders: number;
  error?: string;
}

/** Evaluates `dep` at the close of `session` (once: see the module doc). */
export async function evaluateDeployment(
  deps: DeployServices,
  dep: Deployment,
  clock: MarketClock,
  session: { date: string; no: number },
): Promise<EvaluationOutcome> {
  const { db } = deps;
  const base = { deploymentId: dep.id, proposals: 0, orders: 0 };
  const evalId = await claimEvaluation(db, dep.id, session.date, session.no);
  if (evalId === null) return { ...base, outcome: "claimed_elsewhere" };
  try {
    const strategy = await getStrategy(db, dep.userId, dep.strategyId, dep.strategyVersion);
    if (!strategy) throw new Error("The deployed strategy version no longer exists.");
    // The bars the backtester reads (Tradier's when it is the market data), so a deployment
    // trades the rules on the prices its backtest was judged on.
    const bars = deps.backtests.bars;
    const { compiled, panel } = await prepare(
      bars,
      {
        rules: strategy.rules,
        start: dep.startedOn,
        end: session.date,
      },
      0,
      deps.backtests.history,
    );
    const t = panel.dates.lastIndexOf(session.date);
    if (t < 0) {
      const where = bars.source === "tradier" ? "Tradier's daily history" : "the shipped history";
      throw new Error(`No bars for ${session.date} in ${where}, which the backtester uses.`);
    }
    const { series, bySymbol } = signalsAt(compiled, panel, t);
    await expireDue(db, clock, { userId: dep.userId });
    const book = bookOf(dep.capital, await deploymentFills(db, dep.userId, dep.id));
    const index = new Map(panel.symbols.map((s, i) => [s, i]));
    const closeOf = (sym: string) => {
      const i = index.get(sym);
      const c = i === undefined ? NaN : panel.close[i][t];
      return c > 0 ? c : null;
    };
    const { equity } = markBook(book, closeOf);
    const signals = { date: session.date, source: bars.source, bySymbol };
    const halt = await deps.halts.activeFor(dep.userId);
    if (halt) {
      await finishEvaluation(db, evalId, {
        status: "halted",
        signals,
        equity,
        actions: [{ kind: "halted", why: `Trading is halted (${halt.reason}): nothing proposed.` }],
      });
      return { ...base, outcome: "halted" };
    }
    const { intents, skipped } = decide({
      rules: compiled.rules,
      symbols: panel.symbols,
      series,
      dates: panel.dates,
      close: panel.close,
      sectors: panel.sectors,
      bars: panel.symbols.map((_, s) => ({
        open: panel.open[s],
        high: panel.high[s],
        low: panel.low[s],
      })),
      t,
      t0: panel.startIndex,
      book,
      equity,
      busy: await busySymbols(db, dep.userId, dep.id),
      limits: dep.limits,
    });
    const actions: Record<string, unknown>[] = [];
    let proposals = 0;
    let orders = 0;
    for (const it of intents) {
      try {
        const made = await createProposal(deps, dep.userId, {
          order: {
            symbol: it.symbol,
            side: it.side,
            qty: it.qty,
            type: "market",
            timeInForce: "day",
          },
          source: { kind: "strategy", ref: deploymentRef(dep.id) },
          note: `${dep.strategyName} v${dep.strategyVersion}: ${it.why}`.slice(0, 1000),
        });
        proposals++;
        if (made.order) orders++;
        actions.push({
          ...it,
          proposalId: made.proposal.id,
          status: made.proposal.status,
          orderId: made.order?.id ?? null,
          auto: "reason" in made.auto ? made.auto.reason : made.auto.mode,
        });
      } catch (err) {
        actions.push({ ...it, error: err instanceof Error ? err.message : String(err) });
      }
    }
    for (const s of skipped) actions.push({ kind: "skipped", ...s });
    await finishEvaluation(db, evalId, {
      status: "done",
      signals,
      actions,
      proposalsMade: proposals,
      ordersPlaced: orders,
      equity,
    });
    return { ...base, outcome: "done", proposals, orders };
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    deps.log.warn("deployment evaluation failed", { deploymentId: dep.id, error });
    await finishEvaluation(db, evalId, { status: "failed", error });
    return { ...base, outcome: "failed", error };
  }
}

export interface DeploymentsReport {
  /** The session evaluated; null while none has closed (the market is open or pre-market). */
  session: string | null;
  deployments: number;
  evaluated: number;
  /** Already evaluated for the session (here or on another instance). */
  skipped: number;
  halted: number;
  failed: number;
  proposals: number;
  orders: number;
}

/** Evaluates every active deployment at the close of the session that just closed. */
export async function runDeploymentEvaluations(deps: DeployServices): Promise<DeploymentsReport> {
  const clock = await deps.market.clock();
  const session = closedSession(clock);
  const report: DeploymentsReport = {
    session: session?.date ?? null,
    deployments: 0,
    evaluated: 0,
    skipped: 0,
    halted: 0,
    failed: 0,
    proposals: 0,
    orders: 0,
  };
  if (!session) return report;
  // A deployment trades from the session it was deployed in (a replay that wrapped back to
  // before it is not its history).
  const due = (await activeDeployments(deps.db)).filter((d) => d.startedOn <= session.date);
  report.deployments = due.length;
  for (const dep of due) {
    const r = await evaluateDeployment(deps, dep, clock, session);
    if (r.outcome === "claimed_elsewhere") report.skipped++;
    else if (r.outcome === "halted") report.halted++;
    else if (r.outcome === "failed") report.failed++;
    else report.evaluated++;
    report.proposals += r.proposals;
    report.orders += r.orders;
  }
  return report;
}
