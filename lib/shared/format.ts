/**
 * How the screens write numbers: prices to the cent, changes always with a sign and a unit,
 * volumes in compact form. Missing values read as an em dash, never as 0 or NaN.
 */

export const MISSING = "—";

const usd = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 2 });
const whole = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

function ok(n: number | null | undefined): n is number {
  return typeof n === "number" && Number.isFinite(n);
}

/** `1234.5` → `1,234.50`. */
export function formatPrice(n: number | null | undefined): string {
  return ok(n) ? usd.format(n) : MISSING;
}

/** `1.5` → `+1.50`, `-0.2` → `−0.20` (a real minus sign), `0` → `0.00`. */
export function formatChange(n: number | null | undefined): string {
  if (!ok(n)) return MISSING;
  const text = usd.format(Math.abs(n));
  if (text === "0.00") return text;
  return (n > 0 ? "+" : "−") + text;
}

/** Percent points, not a fraction: `1.234` → `+1.23 %`. */
export function formatChangePercent(n: number | null | undefined): string {
  if (!ok(n)) return MISSING;
  const text = usd.format(Math.abs(n));
  if (text === "0.00") return "0.00 %";
  return `${n > 0 ? "+" : "−"}${text} %`;
}

/** `12_345_678` → `12.35M`; small numbers stay whole. */
export function formatVolume(n: number | null | undefined): string {
  if (!ok(n)) return MISSING;
  return Math.abs(n) < 10_000 ? whole.format(n) : compact.format(n);
}

/** A fraction as percent: `0.2534` → `25.3 %`. */
export function formatFractionPercent(n: number | null | undefined, digits = 1): string {
  return ok(n) ? `${(n * 100).toFixed(digits)} %` : MISSING;
}

/** A plain number to fixed digits (Greeks). */
export function formatFixed(n: number | null | undefined, digits: number): string {
  if (!ok(n)) return MISSING;
  const text = n.toFixed(digits);
  // "-0.000" is noise: show it as zero.
  return Number(text) === 0 ? (0).toFixed(digits) : text.replace("-", "−");
}

/** Which colour a change takes. */
export function direction(n: number | null | undefined): "gain" | "loss" | "flat" {
  if (!ok(n) || n === 0) return "flat";
  return n > 0 ? "gain" : "loss";
}

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/**
 * `2020-01-02` → `Thu 2 Jan 2020`, read as a calendar date (no time zone shift). Spelled out by
 * hand so server and browser, whatever their ICU data, render the same text.
 */
export function formatDate(date: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(date);
  if (!m) return date;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return `${DAYS[d.getUTCDay()]} ${d.getUTCDate()} ${
    MONTHS[d.getUTCMonth()]
  } ${d.getUTCFullYear()}`;
}
