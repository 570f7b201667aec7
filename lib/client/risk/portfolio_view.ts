/**
 * The portfolio risk panel's logic: the request URL from the form, the VaR cards, the limit
 * bars and the correlation heatmap's cells (d3 scales), so the island only lays them out.
 */
import { scaleBand, scaleDiverging } from "d3-scale";
import { interpolateRdBu } from "d3-scale-chromatic";
import type { PortfolioRiskAnswer } from "../../risk/portfolio/gather.ts";
import type { LimitUsage } from "../../risk/portfolio/limits.ts";
import type { MoveBasis } from "../../risk/portfolio/stress.ts";
import type { VarFigure } from "../../risk/portfolio/analyze.ts";

export type { PortfolioRiskAnswer };
export type PortfolioRisk = Extract<PortfolioRiskAnswer, { empty: false }>;

export interface RiskForm {
  /** Trading days of history. */
  lookback: string;
  /** Custom shock, %. */
  shock: string;
}

export const DEFAULT_RISK_FORM: RiskForm = { lookback: "252", shock: "-10" };

/** The endpoint for the form; blank fields are left to the server's defaults, and text that is
 * not a number is sent as typed so the server's 400 names it. */
export function portfolioUrl(form: RiskForm): string {
  const q = new URLSearchParams();
  if (form.lookback.trim()) q.set("lookback", form.lookback.trim());
  if (form.shock.trim()) q.set("shock", form.shock.trim());
  const qs = q.toString();
  return `/api/risk/portfolio${qs ? `?${qs}` : ""}`;
}

export interface VarCard {
  id: string;
  group: "Historical" | "Parametric" | "√10-scaled";
  title: string;
  var: number | null;
  cvar: number | null;
  percent: number | null;
  method: string;
  formula: string;
  observations: number;
}

/** Historical (with CVaR) first, then the parametric figures and the √10 scaling. */
export function varCards(r: Pick<PortfolioRisk, "var">): VarCard[] {
  const card = (group: VarCard["group"], v: VarFigure): VarCard => ({
    id: `${group}-${v.horizonDays}-${v.confidence}`,
    group,
    title: `${v.horizonDays}-day ${Math.round(v.confidence * 100)} %`,
    var: v.var,
    cvar: v.cvar ?? null,
    percent: v.varPercentOfEquity,
    method: v.method,
    formula: v.formula,
    observations: v.observations,
  });
  const byHorizon = (a: VarFigure, b: VarFigure) =>
    a.horizonDays - b.horizonDays || a.confidence - b.confidence;
  return [
    ...[...r.var.historical].sort(byHorizon).map((v) => card("Historical", v)),
    ...[...r.var.parametric].sort(byHorizon).map((v) => card("Parametric", v)),
    ...[...r.var.scaled].sort(byHorizon).map((v) => card("√10-scaled", v)),
  ];
}

export interface UsageBar {
  /** Bar width, % of the track (capped at 100). */
  width: number;
  tone: "ok" | "warn" | "over";
  text: string;
}

/** At 80 % of a limit the bar warns, at 100 % it is over. */
export function usageBar(u: Pick<LimitUsage, "usedPercent">): UsageBar {
  const used = Math.max(0, u.usedPercent);
  return {
    width: Math.min(100, used),
    tone: used >= 100 ? "over" : used >= 80 ? "warn" : "ok",
    text: `${used.toFixed(used >= 100 ? 0 : 1)} % used`,
  };
}

export const BASIS_LABELS: Record<MoveBasis, string> = {
  history: "own closes",
  beta_proxy: "β × S&P 500 move",
  shock: "shock",
  no_data: "no data",
};

export interface HeatCell {
  row: number;
  col: number;
  x: number;
  y: number;
  size: number;
  fill: string;
  /** Dark text on pale cells, light text on strong ones. */
  ink: string;
  text: string;
  label: string;
}

export interface Heatmap {
  size: number;
  margin: number;
  cells: HeatCell[];
  /** Axis labels: the symbol and its band's centre. */
  ticks: { symbol: string; at: number }[];
}

interface Band {
  (v: string): number | undefined;
  bandwidth(): number;
  domain(d: string[]): Band;
  range(r: [number, number]): Band;
  padding(p: number): Band;
}
interface Diverging {
  (v: number): string;
  domain(d: [number, number, number]): Diverging;
}

/** Red for +1 (moves together), white for 0, blue for −1 (offsets). */
const color: Diverging = (scaleDiverging as (i: (t: number) => string) => Diverging)(
  interpolateRdBu,
).domain([1, 0, -1]);

/** Cells of a `size`-pixel square heatmap with `margin` pixels for the symbol labels. */
export function heatmap(
  symbols: readonly string[],
  matrix: readonly (readonly (number | null)[])[],
  size = 360,
  margin = 56,
): Heatmap {
  const band = (scaleBand as () => Band)().domain([...symbols]).range([margin, size]).padding(
    0.04,
  );
  const w = band.bandwidth();
  const cells: HeatCell[] = [];
  symbols.forEach((a, i) =>
    symbols.forEach((b, j) => {
      const rho = matrix[i]?.[j] ?? null;
      cells.push({
        row: i,
        col: j,
        x: band(b)!,
        y: band(a)!,
        size: w,
        fill: rho === null ? "var(--border, #888)" : color(rho),
        ink: rho !== null && Math.abs(rho) > 0.6 ? "#fff" : "#111",
        text: rho === null ? "—" : rho.toFixed(2),
        label: rho === null
          ? `${a} × ${b}: no correlation (a series that never moved)`
          : `${a} × ${b}: ρ = ${rho.toFixed(2)}`,
      });
    })
  );
  return {
    size,
    margin,
    cells,
    ticks: symbols.map((s) => ({ symbol: s, at: band(s)! + w / 2 })),
  };
}

const FIELD_NAMES: Record<string, string> = { lookback: "Look-back", shock: "Shock" };

/** An error answer as one sentence, naming the form's fields the server's 400 points at. */
export function describeProblem(status: number, body: unknown): string {
  const err = (body as { error?: { message?: unknown; details?: unknown } } | null)?.error;
  const base = typeof err?.message === "string" && err.message
    ? err.message
    : status === 0
    ? "The server could not be reached."
    : `The request failed (HTTP ${status}).`;
  if (!Array.isArray(err?.details)) return base;
  const parts = err.details.flatMap((d: { path?: unknown; message?: unknown }) =>
    typeof d?.message === "string"
      ? [
        `${FIELD_NAMES[String(d.path)] ?? (d.path ? String(d.path) : "Query")}: ${
          d.message.replace(/\.$/, "")
        }`,
      ]
      : []
  );
  return parts.length ? `${base} ${parts.join("; ")}.` : base;
}
