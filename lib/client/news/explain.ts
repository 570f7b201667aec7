/**
 * How the News stage's Explain shows the analyst's answer (lib/news/explain.ts): a figure with
 * its unit, and the position line in shares, USD and %. Browser code: type-only imports.
 */
import { formatSignedUsd, formatUsd, sharesWithUnit } from "../../shared/money.ts";
import type { Explained, ExplainRef, Figure } from "../../news/explain.ts";

export type { ExplainRef, Figure };
export type ExplainAnswer = Explained;

const plain = (v: number, digits = 2) =>
  Math.abs(v).toLocaleString("en-US", { maximumFractionDigits: digits });
const minus = (v: number) => (v < 0 ? "\u2212" : "");

/** `-4.95 %` → `−4.95 %`, `81.56 USD` → `$81.56`, `3 shares`, `2.5×`. */
export function figureText(f: Pick<Figure, "value" | "unit">): string {
  switch (f.unit) {
    case "USD":
      return formatUsd(f.value);
    case "%":
      return `${f.value > 0 ? "+" : minus(f.value)}${plain(f.value)} %`;
    case "shares":
      return sharesWithUnit(f.value);
    case "x":
      return `${plain(f.value)}×`;
    case "σ":
      return `${minus(f.value)}${plain(f.value)} σ`;
    case "points":
      return `${minus(f.value)}${plain(f.value)} points`;
  }
}

/** "You hold 3 shares, $81.56, unrealized −$0.10", or that nothing is held. */
export function positionLine(p: NonNullable<Explained["forPosition"]>): string {
  if (!p.held) return "Your position: none.";
  const parts = [sharesWithUnit(p.qty)];
  if (p.value !== null) parts.push(`worth ${formatUsd(p.value)}`);
  if (p.pnl !== null) parts.push(`unrealized ${formatSignedUsd(p.pnl)}`);
  return `Your position: ${parts.join(", ")}.`;
}
