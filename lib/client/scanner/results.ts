/**
 * The results table's order and the hits' sparklines, as pure functions.
 */
import type { ScanHit } from "../../shared/scan.ts";

/** A column to sort by: the symbol, the close, or one of the values by its label. */
export type SortKey = "symbol" | "close" | `value:${string}`;
export interface TableSort {
  key: SortKey;
  direction: "asc" | "desc";
}

function keyOf(h: ScanHit, key: SortKey): number | string {
  if (key === "symbol") return h.symbol;
  if (key === "close") return h.close;
  return h.values[key.slice(6)] ?? Number.NaN;
}

/** A copy of `hits` in the table's order; missing values go last either way. */
export function sortHits(hits: readonly ScanHit[], sort: TableSort | null): ScanHit[] {
  if (!sort) return [...hits];
  const sign = sort.direction === "asc" ? 1 : -1;
  return [...hits].sort((a, b) => {
    const x = keyOf(a, sort.key);
    const y = keyOf(b, sort.key);
    if (typeof x === "string" || typeof y === "string") {
      return sign * String(x).localeCompare(String(y));
    }
    if (Number.isNaN(x) !== Number.isNaN(y)) return Number.isNaN(x) ? 1 : -1;
    return sign * (x - y) || a.symbol.localeCompare(b.symbol);
  });
}

/** Clicking a column: a new column sorts descending for numbers and A→Z for symbols, again flips. */
export function nextSort(current: TableSort | null, key: SortKey): TableSort {
  if (current?.key === key) {
    return { key, direction: current.direction === "asc" ? "desc" : "asc" };
  }
  return { key, direction: key === "symbol" ? "asc" : "desc" };
}

/** SVG polyline points for `values` in a `width` × `height` box (top is high). */
export function sparkPoints(values: readonly number[], width: number, height: number): string {
  if (values.length === 0) return "";
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const span = hi - lo || 1;
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  return values.map((v, i) => {
    const x = i * step;
    const y = hi === lo ? height / 2 : height - ((v - lo) / span) * height;
    return `${x.toFixed(1)},${y.toFixed(1)}`;
  }).join(" ");
}
