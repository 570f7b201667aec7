/**
 * How the trading screens write dollars, signed P&L, percentages of a fraction and share counts.
 * Missing or non-finite values read as the em dash of `format.ts`, never as $0.00 or NaN.
 */
import { MISSING } from "./format.ts";

const cents = new Intl.NumberFormat("en-US", {
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});
const sharesFmt = new Intl.NumberFormat("en-US", { maximumFractionDigits: 8 });

/** A usable figure: not null, undefined, NaN or ±Infinity. */
export function finite(n: number | null | undefined): n is number {
  return typeof n === "number" && Number.isFinite(n);
}

/** `1234.5` → `$1,234.50`; negative amounts get a real minus: `−$3.00`. */
export function formatUsd(n: number | null | undefined): string {
  if (!finite(n)) return MISSING;
  const text = cents.format(Math.abs(n));
  return n < 0 && text !== "0.00" ? `−$${text}` : `$${text}`;
}

/** Gains and losses: `+$12.30`, `−$4.00`, and `$0.00` with no sign. */
export function formatSignedUsd(n: number | null | undefined): string {
  if (!finite(n)) return MISSING;
  const text = cents.format(Math.abs(n));
  if (text === "0.00") return "$0.00";
  return `${n > 0 ? "+" : "−"}$${text}`;
}

/** A fraction as a signed percent: `0.0123` → `+1.23 %`. */
export function formatSignedPercent(fraction: number | null | undefined): string {
  if (!finite(fraction)) return MISSING;
  const text = cents.format(Math.abs(fraction * 100));
  if (text === "0.00") return "0.00 %";
  return `${fraction > 0 ? "+" : "−"}${text} %`;
}

/** Share counts as typed: whole numbers grouped, fractions to at most 8 places. */
export function formatShares(n: number | null | undefined): string {
  if (!finite(n)) return MISSING;
  const text = sharesFmt.format(Math.abs(n));
  return n < 0 && text !== "0" ? `−${text}` : text;
}

/** `10` → `10 shares`, `1` → `1 share`. */
export function sharesWithUnit(n: number | null | undefined): string {
  if (!finite(n)) return MISSING;
  return `${formatShares(n)} ${Math.abs(n) === 1 ? "share" : "shares"}`;
}

/** CSS class for a gain or loss figure. */
export function tone(n: number | null | undefined): "gain" | "loss" | "flat" {
  if (!finite(n) || Math.abs(n) < 0.005) return "flat";
  return n > 0 ? "gain" : "loss";
}
