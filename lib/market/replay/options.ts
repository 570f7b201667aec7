/**
 * Replay option chains: listed expirations by the exchange's rules and Black-Scholes-Merton
 * prices from the underlying's realized volatility. Nothing here traded, so contracts carry
 * no last price, volume or open interest.
 *
 * Assumptions, stated once: one flat volatility per chain (30-day close-to-close realized,
 * annualized), a constant 1 % risk-free rate, and the trailing year's dividend yield read off
 * the history's adjusted closes.
 *
 * @module
 */
import { bsGreeks } from "../../analytics/greeks.ts";
import type { OptionContract } from "../types.ts";
import type { DailySeries } from "./history.ts";
import { addDays, dateMs, weekday } from "../exchange_time.ts";

export const REPLAY_RATE = 0.01;
/** Strikes listed on each side of the money. */
export const STRIKES_EACH_SIDE = 12;
const WEEKLIES = 8;
const MONTHLIES = 12;

/** The third Friday of `year`-`month` (1-based month). */
export function thirdFriday(year: number, month: number): string {
  const first = new Date(Date.UTC(year, month - 1, 1)).getUTCDay();
  const day = 1 + ((5 - first + 7) % 7) + 14;
  return `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/**
 * Expirations listed on `today`: the next 8 weekly Fridays, the next 12 monthly (third-Friday)
 * expirations and the next two January LEAPS. A Friday that was a market holiday moves to the
 * Thursday before (known only inside the data: `isTradingDay` says whether a date traded, or
 * undefined when the data doesn't reach it). Today's expiration is listed until the close.
 */
export function listExpirations(
  today: string,
  includeToday: boolean,
  isTradingDay: (date: string) => boolean | undefined,
): string[] {
  const adjust = (friday: string) => isTradingDay(friday) === false ? addDays(friday, -1) : friday;
  const out = new Set<string>();
  const first = addDays(today, (5 - weekday(today) + 7) % 7);
  for (let w = 0; out.size < WEEKLIES; w++) {
    const date = adjust(addDays(first, 7 * w));
    if (date > today || (includeToday && date === today)) out.add(date);
  }
  let year = +today.slice(0, 4);
  let month = +today.slice(5, 7);
  const monthlies: string[] = [];
  while (monthlies.length < MONTHLIES) {
    const date = adjust(thirdFriday(year, month));
    if (date > today || (includeToday && date === today)) monthlies.push(date);
    if (++month > 12) (month = 1, year++);
  }
  for (const m of monthlies) out.add(m);
  const lastMonthly = monthlies.at(-1)!;
  for (let y = +today.slice(0, 4) + 1, leaps = 0; leaps < 2; y++) {
    const jan = adjust(thirdFriday(y, 1));
    if (jan > lastMonthly) (out.add(jan), leaps++);
  }
  return [...out].sort();
}

/** The strike spacing listed around `spot`. */
export function strikeStep(spot: number): number {
  if (spot < 25) return 0.5;
  if (spot < 100) return 1;
  if (spot < 200) return 2.5;
  if (spot < 500) return 5;
  if (spot < 1000) return 10;
  return 25;
}

/** Strikes around the money: `STRIKES_EACH_SIDE` steps below and above the nearest strike. */
export function strikesAround(spot: number): number[] {
  const step = strikeStep(spot);
  const atm = Math.round(spot / step) * step;
  const out: number[] = [];
  for (let k = -STRIKES_EACH_SIDE; k <= STRIKES_EACH_SIDE; k++) {
    const strike = Math.round((atm + k * step) * 100) / 100;
    if (strike > 0) out.push(strike);
  }
  return out;
}

/**
 * Annualized close-to-close volatility of the `window` daily returns ending at row `row`
 * (inclusive), at least 5 % so a quiet stretch never prices options at zero.
 */
export function historicalVolatility(s: DailySeries, row: number, window = 30): number {
  const from = Math.max(1, row - window + 1);
  const rets: number[] = [];
  for (let r = from; r <= row; r++) rets.push(Math.log(s.close[r] / s.close[r - 1]));
  if (rets.length < 2) return 0.3;
  const mean = rets.reduce((a, b) => a + b, 0) / rets.length;
  const variance = rets.reduce((a, b) => a + (b - mean) ** 2, 0) / (rets.length - 1);
  return Math.max(0.05, Math.sqrt(variance * 252));
}

/**
 * Trailing one-year dividend yield: dividends show up as growth of adj_close/close across the
 * year (splits cancel, both columns are split-adjusted). 0 for indices; capped at 15 %.
 */
export function dividendYield(s: DailySeries, row: number): number {
  if (!s.adjClose || row < 1) return 0;
  const from = Math.max(0, row - 252);
  const ratioNow = s.adjClose[row] / s.close[row];
  const ratioThen = s.adjClose[from] / s.close[from];
  const years = (row - from) / 252;
  const q = Math.log(ratioNow / ratioThen) / years;
  return Number.isFinite(q) ? Math.min(0.15, Math.max(0, q)) : 0;
}

/** OCC option symbol: root, YYMMDD, C/P, strike × 1000 in 8 digits. */
export function occSymbol(root: string, expiration: string, type: "call" | "put", strike: number) {
  const ymd = expiration.slice(2).replaceAll("-", "");
  const k = String(Math.round(strike * 1000)).padStart(8, "0");
  return `${root}${ymd}${type === "call" ? "C" : "P"}${k}`;
}

/** Quote a theoretical price as bid/ask in cents: ~3 % wide, at least 2 cents, bid ≥ 0. */
export function quoteAround(theo: number): { bid: number; ask: number } {
  const half = Math.max(0.01, theo * 0.015);
  const bid = Math.max(0, Math.floor((theo - half) * 100) / 100);
  const ask = Math.max(0.01, Math.ceil((theo + half) * 100) / 100);
  return { bid, ask: Math.max(ask, bid + 0.01) };
}

export interface ChainInput {
  underlying: string;
  /** OCC root (the symbol without punctuation; SPXW for SPX's non-monthly expirations). */
  root: string;
  expiration: string;
  spot: number;
  years: number;
  volatility: number;
  dividendYield: number;
  rate?: number;
}

/** Calls and puts at every strike around the money, with Greeks, ordered by strike. */
export function priceChain(c: ChainInput): OptionContract[] {
  const rate = c.rate ?? REPLAY_RATE;
  const out: OptionContract[] = [];
  for (const strike of strikesAround(c.spot)) {
    for (const type of ["call", "put"] as const) {
      const g = bsGreeks({
        type,
        spot: c.spot,
        strike,
        years: c.years,
        rate,
        dividendYield: c.dividendYield,
        volatility: c.volatility,
      });
      const { bid, ask } = quoteAround(g.price);
      out.push({
        symbol: occSymbol(c.root, c.expiration, type, strike),
        underlying: c.underlying,
        type,
        strike,
        expiration: c.expiration,
        bid,
        ask,
        last: null,
        volume: null,
        openInterest: null,
        greeks: {
          delta: g.delta,
          gamma: g.gamma,
          theta: g.theta,
          vega: g.vega,
          rho: g.rho,
          iv: c.volatility,
        },
      });
    }
  }
  return out;
}

/** Years from `nowMs` to `expiryMs`, never below one minute (so Greeks stay finite). */
export function yearsBetween(nowMs: number, expiryMs: number): number {
  return Math.max(60_000, expiryMs - nowMs) / (365 * 86_400_000);
}

/** Whether `date` is a monthly (third-Friday, or the Thursday before a holiday) expiration. */
export function isMonthly(date: string): boolean {
  const y = +date.slice(0, 4);
  const m = +date.slice(5, 7);
  const third = thirdFriday(y, m);
  return date === third || dateMs(third) - dateMs(date) === 86_400_000;
}
