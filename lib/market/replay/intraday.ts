/**
 * The simulated inside of one real trading day: a price for every second of the regular
 * session (9:30:00–15:59:59 New York) and the day's real volume spread over its minutes.
 *
 * The path is a seeded random walk bridged from the real open to the real close, then bent by
 * a monotone piecewise-linear map so its highest point is exactly the real high and its lowest
 * exactly the real low (the open and close stay fixed, since the map is the identity between
 * them). The seed is the symbol and date, so every process replays the same day identically.
 * Volume follows the usual U shape (busy open and close, quiet lunch) with seeded noise, and
 * sums to the real daily volume.
 *
 * @module
 */
import { SESSION_SECONDS } from "./clock.ts";

/** One real daily bar. `volume` is NaN when the history has none (VIX). */
export interface DailyBar {
  date: string;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

export interface SimulatedDay {
  symbol: string;
  bar: DailyBar;
  /** Price at each second of the session, rounded to 4 decimals (the data's precision). */
  prices: Float64Array;
  /** Shares traded in each of the 390 minutes (all 0 without volume). */
  minuteVolume: Float64Array;
  /** Shares traded before each minute; `cumMinute[390]` is the day's volume. */
  cumMinute: Float64Array;
  hasVolume: boolean;
  seed: number;
}

/** 32-bit FNV-1a hash of a string: the seed of a symbol's day. */
export function seedOf(symbol: string, date: string): number {
  let h = 0x811c9dc5;
  const s = `${symbol}|${date}`;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Mulberry32: a small, fast, well-distributed seeded generator of floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A stateless hash of (seed, n) in [0, 1): per-second details that need no stored state. */
export function hash01(seed: number, n: number): number {
  let h = Math.imul(seed ^ Math.imul(n, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

function gaussian(rand: () => number): number {
  // Box–Muller; 1 - u keeps the logarithm finite.
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;
const MINUTES = SESSION_SECONDS / 60;
const TENT = 600;

/** Builds the deterministic session of `symbol` on `bar.date`. */
export function simulateDay(symbol: string, bar: DailyBar): SimulatedDay {
  const seed = seedOf(symbol, bar.date);
  const rand = mulberry32(seed);
  const n = SESSION_SECONDS;
  const { open: o, high: H, low: L, close: c } = bar;
  const top = Math.max(o, c);
  const bot = Math.min(o, c);

  const walk = new Float64Array(n);
  for (let i = 1; i < n; i++) walk[i] = walk[i - 1] + gaussian(rand);
  const end = walk[n - 1];
  let bMax = -Infinity;
  let bMin = Infinity;
  for (let i = 0; i < n; i++) {
    const b = walk[i] - (i / (n - 1)) * end;
    walk[i] = b;
    if (b > bMax) bMax = b;
    if (b < bMin) bMin = b;
  }
  const scale = bMax > bMin ? (H - L) / (bMax - bMin) : 0;
  const p = new Float64Array(n);
  for (let i = 0; i < n; i++) p[i] = o + (c - o) * (i / (n - 1)) + scale * walk[i];
  p[0] = o;
  p[n - 1] = c;

  // A walk that never leaves [bot, top] on one side cannot be bent to reach that extreme;
  // a tent-shaped excursion (rare: strong drift, little noise) gives the map something to bend.
  const extremes = () => {
    let max = -Infinity, min = Infinity, iMax = 0, iMin = 0;
    for (let i = 0; i < n; i++) {
      if (p[i] > max) (max = p[i], iMax = i);
      if (p[i] < min) (min = p[i], iMin = i);
    }
    return { max, min, iMax, iMin };
  };
  const tent = (sign: 1 | -1) => {
    const k = TENT + Math.floor(rand() * (n - 2 * TENT - 1));
    const amp = Math.abs((sign > 0 ? top : bot) - p[k]) + (H - L) * 0.2 + 1e-6;
    for (let i = k - TENT + 1; i < k + TENT; i++) {
      p[i] += sign * amp * (1 - Math.abs(i - k) / TENT);
    }
  };
  let ex = extremes();
  if (H > top && ex.max <= top) (tent(1), ex = extremes());
  if (L < bot && ex.min >= bot) (tent(-1), ex = extremes());

  const up = ex.max > top ? (H - top) / (ex.max - top) : 0;
  const down = ex.min < bot ? (bot - L) / (bot - ex.min) : 0;
  for (let i = 0; i < n; i++) {
    const x = p[i];
    const y = x > top ? top + (x - top) * up : x < bot ? bot - (bot - x) * down : x;
    p[i] = Math.min(H, Math.max(L, round4(y)));
  }
  p[0] = o;
  p[n - 1] = c;
  p[ex.iMax] = H;
  p[ex.iMin] = L;

  const hasVolume = Number.isFinite(bar.volume) && bar.volume > 0;
  const minuteVolume = new Float64Array(MINUTES);
  const cumMinute = new Float64Array(MINUTES + 1);
  if (hasVolume) {
    const weights = new Float64Array(MINUTES);
    let sum = 0;
    for (let m = 0; m < MINUTES; m++) {
      const x = (m - (MINUTES - 1) / 2) / ((MINUTES - 1) / 2);
      const w = (1 + 1.6 * x * x + 2 * Math.exp(-m / 4) + 1.5 * Math.exp(-(MINUTES - 1 - m) / 4)) *
        Math.exp(0.3 * gaussian(rand));
      weights[m] = w;
      sum += w;
    }
    let allocated = 0;
    for (let m = 0; m < MINUTES; m++) {
      minuteVolume[m] = Math.floor((bar.volume * weights[m]) / sum);
      allocated += minuteVolume[m];
    }
    // The rounding remainder (< 390 shares) goes to the closing minutes, where volume peaks.
    let rest = Math.round(bar.volume - allocated);
    for (let m = MINUTES - 1; rest > 0; m = m === 0 ? MINUTES - 1 : m - 1) {
      (minuteVolume[m]++, rest--);
    }
    for (let m = 0; m < MINUTES; m++) cumMinute[m + 1] = cumMinute[m] + minuteVolume[m];
  }
  return { symbol, bar, prices: p, minuteVolume, cumMinute, hasVolume, seed };
}

/** Shares traded from the open through second `s` (inclusive) of the session. */
export function volumeThrough(day: SimulatedDay, s: number): number {
  if (s < 0) return 0;
  if (s >= SESSION_SECONDS - 1) return day.cumMinute[MINUTES];
  const m = Math.floor(s / 60);
  return day.cumMinute[m] + Math.floor((day.minuteVolume[m] * ((s % 60) + 1)) / 60);
}

/** Open/high/low/close/volume of seconds `[from, to]` of the session (inclusive). */
export function stats(
  day: SimulatedDay,
  from: number,
  to: number,
): { open: number; high: number; low: number; close: number; volume: number } {
  let high = -Infinity;
  let low = Infinity;
  for (let i = from; i <= to; i++) {
    const x = day.prices[i];
    if (x > high) high = x;
    if (x < low) low = x;
  }
  return {
    open: day.prices[from],
    high,
    low,
    close: day.prices[to],
    volume: volumeThrough(day, to) - volumeThrough(day, from - 1),
  };
}

/** Bars of `minutes` each from the open through second `through` (the last one partial). */
export function intradayBars(
  day: SimulatedDay,
  minutes: number,
  through: number,
): { second: number; open: number; high: number; low: number; close: number; volume: number }[] {
  const out = [];
  const last = Math.min(through, SESSION_SECONDS - 1);
  for (let from = 0; from <= last; from += minutes * 60) {
    out.push({ second: from, ...stats(day, from, Math.min(last, from + minutes * 60 - 1)) });
  }
  return out;
}

/**
 * Bid and ask around `last` at second `s`: a half-spread of 1–12 bps that widens for thinner
 * names (by daily dollar volume), at least a cent, with a seeded cent of jitter; sizes in
 * round lots. `last` always lies within [bid, ask].
 */
export function spreadAt(
  bar: DailyBar,
  seed: number,
  s: number,
  last: number,
): { bid: number; ask: number; bidSize: number; askSize: number } {
  const dollars = Math.max(1, (bar.volume || 0) * bar.close);
  const bps = Math.min(12, 1 + 150 / Math.sqrt(dollars / 1e6));
  const half = (last * bps) / 1e4;
  const jitter = hash01(seed, s) < 0.3 ? 0.01 : 0;
  const bid = Math.floor((last - half) * 100) / 100 - jitter;
  const ask = Math.max(bid + 0.01, Math.ceil((last + half) * 100) / 100);
  return {
    bid: Math.round(Math.max(0.01, bid) * 100) / 100,
    ask: Math.round(ask * 100) / 100,
    bidSize: 100 * (1 + Math.floor(hash01(seed ^ 0x5bd1e995, s) * 30)),
    askSize: 100 * (1 + Math.floor(hash01(seed ^ 0x27d4eb2f, s) * 30)),
  };
}
