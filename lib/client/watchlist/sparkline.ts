/**
 * The watchlist's sparklines: the prices the stream brought since the page opened, drawn as one
 * SVG path. A few lines of arithmetic, so the panel ships no charting library.
 */

/** Points kept per symbol. */
export const SPARK_POINTS = 60;

/** `series` with `value` appended (unless it repeats the last), at most `max` long. */
export function pushPoint(series: readonly number[], value: number, max = SPARK_POINTS): number[] {
  if (!Number.isFinite(value) || series.at(-1) === value) return [...series];
  return [...series, value].slice(-max);
}

/**
 * An SVG path through the values, scaled to `width` × `height` with a pixel of padding; a flat
 * series is a line through the middle, fewer than two points no path.
 */
export function sparklinePath(values: readonly number[], width: number, height: number): string {
  if (values.length < 2) return "";
  const min = Math.min(...values);
  const max = Math.max(...values);
  const span = max - min;
  const step = width / (values.length - 1);
  const pad = 1;
  const y = (v: number) =>
    span === 0 ? height / 2 : pad + (height - 2 * pad) * (1 - (v - min) / span);
  return values.map((v, i) => `${i === 0 ? "M" : "L"}${round(i * step)},${round(y(v))}`).join("");
}

const round = (n: number) => Math.round(n * 10) / 10;

/** The list with `symbol` moved `by` places (clamped); unchanged when it is not there. */
export function moved(list: readonly string[], symbol: string, by: number): string[] {
  const from = list.indexOf(symbol);
  if (from < 0) return [...list];
  const to = Math.max(0, Math.min(list.length - 1, from + by));
  const out = list.filter((s) => s !== symbol);
  out.splice(to, 0, symbol);
  return out;
}
