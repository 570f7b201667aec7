/**
 * What the Deployments island shows, in words: shapes of `/api/deployments` answers (as the
 * browser sees them) and the formatting of a deployment's line and its performance.
 *
 * @module
 */
import { formatSignedPercent, formatUsd } from "../../shared/money.ts";

export type DeploymentStatus = "active" | "paused" | "stopped";

export interface DeploymentView {
  id: number;
  strategyId: number;
  strategyVersion: number;
  strategyName: string;
  capital: number;
  limits: { maxPositions: number | null; maxOrderValue: number | null };
  status: DeploymentStatus;
  startedOn: string;
  /** The newest evaluation, when there is one. */
  last?: {
    session: string;
    status: string;
    proposalsMade: number;
    ordersPlaced: number;
    error: string | null;
  } | null;
}

export interface StrategyChoice {
  id: number;
  name: string;
  /** The latest version. */
  version: number;
}

export interface PerformanceView {
  /** The bars both sides were marked on: the shipped history, or Tradier's daily history. */
  source: "replay" | "tradier";
  from: string;
  through: string | null;
  live: { sessions: number; equity: number; returnPct: number; orders: number };
  backtest: { equity: number; returnPct: number; trades: number } | null;
}

/** `5 positions at most · $1,000.00 per order at most`, or that there are no limits. */
export function limitsText(l: DeploymentView["limits"]): string {
  const parts = [];
  if (l.maxPositions !== null) parts.push(`${l.maxPositions} positions at most`);
  if (l.maxOrderValue !== null) parts.push(`${formatUsd(l.maxOrderValue)} per order at most`);
  return parts.length ? parts.join(" · ") : "the strategy's own limits";
}

/** The newest evaluation in a sentence. */
export function lastText(d: DeploymentView): string {
  const e = d.last;
  if (!e) return "Not evaluated yet: it runs after each session's close.";
  if (e.status === "halted") return `${e.session}: trading halted, nothing proposed.`;
  if (e.status === "failed") return `${e.session}: failed (${e.error ?? "unknown error"}).`;
  if (e.status === "running") return `${e.session}: evaluating…`;
  return `${e.session}: ${e.proposalsMade} proposal${e.proposalsMade === 1 ? "" : "s"}, ` +
    `${e.ordersPlaced} order${e.ordersPlaced === 1 ? "" : "s"} placed.`;
}

/** Live paper performance beside the backtest over the same days. */
export function performanceText(
  p: PerformanceView,
): { label: string; live: string; backtest: string } {
  const label = p.source === "tradier" ? "Paper (Tradier daily bars)" : "Paper (REPLAY)";
  if (!p.through) return { label, live: "No session evaluated yet.", backtest: "—" };
  const days = `${p.from} to ${p.through}`;
  return {
    label,
    live: `${formatUsd(p.live.equity)} (${formatSignedPercent(p.live.returnPct / 100)}) over ` +
      `${p.live.sessions} sessions, ${p.live.orders} orders · ${days}`,
    backtest: p.backtest
      ? `${formatUsd(p.backtest.equity)} (${formatSignedPercent(p.backtest.returnPct / 100)}), ` +
        `${p.backtest.trades} closed trades · same days`
      : "The strategy version is gone.",
  };
}

/** The buttons a status allows. */
export function movesFor(status: DeploymentStatus): ("pause" | "resume" | "stop")[] {
  if (status === "active") return ["pause", "stop"];
  if (status === "paused") return ["resume", "stop"];
  return [];
}
