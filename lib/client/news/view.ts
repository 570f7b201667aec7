/**
 * The News Review islands' logic: query strings from the filters, and the words and numbers an
 * event, a position impact or a sentiment reading is shown with.
 */
import { formatSignedUsd, formatUsd, sharesWithUnit } from "../../shared/money.ts";
import type { EventKind, MarketEvent } from "../../news/events.ts";
import type { PositionImpact } from "../../news/service.ts";
import type { ContextualEvent } from "../../news/feed.ts";
import type { SentimentLabel } from "../../ml/sentiment/dataset.ts";

export type { EventKind, MarketEvent, PositionImpact, SentimentLabel };

export type FeedEvent = ContextualEvent & { position: PositionImpact | null };

export interface FeedFilters {
  scope: "all" | "positions" | "watchlist";
  symbol: string;
  kind: "" | EventKind;
  sentiment: "" | SentimentLabel;
  days: number;
}

export const DEFAULT_FILTERS: FeedFilters = {
  scope: "all",
  symbol: "",
  kind: "",
  sentiment: "",
  days: 5,
};

export const KIND_LABELS: Record<EventKind, string> = {
  gap: "Gap at the open",
  big_move: "2-sigma move",
  volume_spike: "Volume spike",
  high_52w: "52-week high",
  low_52w: "52-week low",
  drawdown: "S&P 500 drawdown",
  vix_spike: "VIX spike",
};

export const SCOPE_LABELS: Record<FeedFilters["scope"], string> = {
  all: "Everything",
  positions: "My positions",
  watchlist: "My watchlist",
};

/** `/api/news?...` for the filters; empty filters are left out. */
export function feedUrl(f: FeedFilters): string {
  const q = new URLSearchParams({ scope: f.scope, days: String(f.days) });
  const symbol = f.symbol.trim().toUpperCase();
  if (symbol) q.set("symbol", symbol);
  if (f.kind) q.set("kind", f.kind);
  if (f.sentiment) q.set("sentiment", f.sentiment);
  return `/api/news?${q}`;
}

export interface SampleFilters {
  split: "" | "train" | "validation";
  label: "" | SentimentLabel;
  q: string;
  misses: boolean;
  page: number;
}

export const DEFAULT_SAMPLE: SampleFilters = {
  split: "validation",
  label: "",
  q: "",
  misses: false,
  page: 1,
};

export const SAMPLE_PAGE_SIZE = 20;

export function sampleUrl(f: SampleFilters): string {
  const q = new URLSearchParams({ page: String(f.page), pageSize: String(SAMPLE_PAGE_SIZE) });
  if (f.split) q.set("split", f.split);
  if (f.label) q.set("label", f.label);
  if (f.q.trim()) q.set("q", f.q.trim());
  if (f.misses) q.set("misses", "true");
  return `/api/news/headlines?${q}`;
}

// The minus sign matches formatSignedUsd's (U+2212), so figures side by side read alike.
const pct = (v: number, signed = true) =>
  `${signed && v > 0 ? "+" : ""}${
    v.toLocaleString("en-US", { maximumFractionDigits: 2 }).replace("-", "\u2212")
  } %`;
const num = (v: number) => v.toLocaleString("en-US", { maximumFractionDigits: 2 });

/** The numbers behind an event, each with its unit. */
export function eventFigures(e: MarketEvent): string[] {
  const n = e.numbers;
  switch (e.kind) {
    case "gap":
      return [
        `gap ${pct(n.gapPercent)}`,
        `prev. close ${formatUsd(n.previousClose)}`,
        `open ${formatUsd(n.open)}`,
      ];
    case "big_move":
      return [
        `return ${pct(n.returnPercent)}`,
        `60-day σ ${pct(n.sigmaPercent, false)}`,
        `z ${num(n.zScore)}`,
      ];
    case "volume_spike":
      return [`${num(n.volume)} shares`, `20-day avg ${num(n.averageVolume)}`, `${num(n.ratio)}×`];
    case "high_52w":
      return [`close ${formatUsd(n.close)}`, `prior high ${formatUsd(n.previousHigh)}`];
    case "low_52w":
      return [`close ${formatUsd(n.close)}`, `prior low ${formatUsd(n.previousLow)}`];
    case "drawdown":
      return [`drawdown ${pct(n.drawdownPercent)}`, `line ${pct(n.line)}`, `close ${num(n.close)}`];
    case "vix_spike":
      return [
        `VIX ${num(n.close)}`,
        `prev. ${num(n.previousClose)}`,
        `change ${pct(n.changePercent)}`,
      ];
  }
}

/** "What it could mean for my position", from the position and the event's own move. */
export function impactText(p: PositionImpact | null): string | null {
  if (!p) return null;
  const held = `You hold ${sharesWithUnit(Math.abs(p.qty))} ${
    p.side === "short" ? "short" : "long"
  }${p.marketValue === null ? "" : ` (${formatUsd(Math.abs(p.marketValue))} now)`}.`;
  if (p.sameMoveUsd === null || p.movePercent === null) return held;
  return `${held} The same ${pct(p.movePercent)} move on it today would be ${
    formatSignedUsd(p.sameMoveUsd)
  }.`;
}

/** Symbols the app has a page for (indexes have none). */
export function symbolHref(symbol: string): string | null {
  return symbol === "SPX" || symbol === "VIX" ? null : `/symbol/${encodeURIComponent(symbol)}`;
}

export function confidenceText(confidence: number): string {
  return `${Math.round(confidence * 100)} %`;
}

/** Events grouped by date, newest day first, keeping the order within a day. */
export function byDay<T extends { date: string }>(items: T[]): [string, T[]][] {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const list = out.get(item.date);
    if (list) list.push(item);
    else out.set(item.date, [item]);
  }
  return [...out].sort(([a], [b]) => b.localeCompare(a));
}
