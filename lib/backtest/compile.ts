/**
 * Compiles a (parameter-resolved) rule document into kernels: each operand becomes one typed
 * array per symbol (indicators computed once and shared between operands), each condition one
 * pass that writes a Uint8Array of signals. Nothing is allocated per bar. The same compiled
 * signals drive the backtest loop and, later, paper trading: at bar i they read bars ≤ i only.
 *
 * @module
 */
import type { Condition, IndicatorOperand, Num, Operand, Rules } from "../strategy/schema.ts";
import type { Panel } from "./data.ts";
import * as k from "./kernels.ts";
import { Arena } from "./arena.ts";

export interface SymbolSignals {
  entry: Uint8Array | null;
  exit: Uint8Array | null;
  shortEntry: Uint8Array | null;
  shortExit: Uint8Array | null;
  /** The ranking expression (NaN where undefined). */
  rank: Float64Array | null;
  /** ATR for ATR stops and ATR sizing (NaN in warm-up). */
  atr: Float64Array | null;
  /** Annualised volatility for volatility sizing. */
  vol: Float64Array | null;
  /** Every operand series the conditions read, in a fixed order: the look-ahead check compares them. */
  operands: Float64Array[];
}

export interface Compiled {
  rules: Rules;
  /** Bars of history the longest window needs before its first value. */
  lookback: number;
  /**
   * Symbol `s`'s signals on `panel`. Their arrays come from `arena` when given (the run's, see
   * arena.ts), else from one buffer of their own.
   */
  signals(panel: Panel, s: number, arena?: Arena): SymbolSignals;
  /** How many bar-long arrays one symbol's signals take, of each kind (to size an arena). */
  arrays(): { f64: number; u8: number };
}

/**
 * Hands out one symbol's bar-long output arrays. A Float64 one is not cleared first: its user
 * writes every element (each kernel fills its warm-up with NaN, kernels_test.ts checks it). A
 * byte one starts zeroed (crosses leave bar 0 alone and "any" ORs into it).
 */
interface Take {
  f64(): Float64Array;
  u8(): Uint8Array;
}

function v(x: Num | undefined, fallback: number): number {
  if (x === undefined) return fallback;
  if (typeof x !== "number") throw new Error(`Unresolved parameter "${x.param}".`);
  return x;
}

/** Periods other than 14 when an operand leaves its period out. */
const DEFAULT_PERIOD: Partial<Record<IndicatorOperand["name"], number>> = { volume_ratio: 20 };

function operandLookback(o: Operand): number {
  if (o.type === "const") return 0;
  const ago = o.barsAgo ?? 0;
  if (o.type === "price") return ago;
  const per = v(o.period, DEFAULT_PERIOD[o.name] ?? 14);
  switch (o.name) {
    case "macd":
      return ago + v(o.slow, 26) + v(o.signal, 9);
    case "gap_pct":
      return ago + 1;
    case "rsi":
    case "atr":
    case "atr_pct":
    case "roc":
    case "volume_ratio":
      return ago + per + 1;
    default:
      return ago + per;
  }
}

type Leaf = Extract<Condition, { op: unknown }>;

/** Every comparison's operands into `operands`, and its crosses leaves into `crosses`. */
function walkLeaves(c: Condition | undefined, operands: Operand[], crosses: Leaf[]): void {
  if (!c) return;
  if ("all" in c) { for (const x of c.all) walkLeaves(x, operands, crosses); }
  else if ("any" in c) { for (const x of c.any) walkLeaves(x, operands, crosses); }
  else if ("not" in c) walkLeaves(c.not, operands, crosses);
  else {
    operands.push(c.left, c.right);
    if (c.op === "crosses_above" || c.op === "crosses_below") crosses.push(c);
  }
}

const macdOutput = (o: IndicatorOperand) =>
  o.output === "signal" || o.output === "histogram" ? o.output : "line";
const bollingerOutput = (o: IndicatorOperand) =>
  o.output === "upper" || o.output === "lower" ? o.output : "middle";

/**
 * The key an indicator's series is cached under in one build: operands that compute the same
 * series share it (a macd's or a bollinger's outputs are each a series of their own). Each
 * operand's key is kept with the fields it was made from, and made again only when one of them
 * changed: a build looks up a dozen keys, and building and hashing each string anew took a
 * quarter of a one-symbol run's whole signal pass (sweeps and the bench compile the same rules
 * objects run after run).
 */
function indicatorKey(o: IndicatorOperand): string {
  const k = keys.get(o);
  if (
    k !== undefined && k.name === o.name && k.period === o.period && k.input === o.input &&
    k.output === o.output && k.fast === o.fast && k.slow === o.slow && k.signal === o.signal &&
    k.stdDevs === o.stdDevs
  ) return k.key;
  const key = makeKey(o);
  keys.set(o, { ...o, key });
  return key;
}

const keys = new WeakMap<IndicatorOperand, IndicatorOperand & { key: string }>();

function makeKey(o: IndicatorOperand): string {
  const per = v(o.period, DEFAULT_PERIOD[o.name] ?? 14);
  const input = o.input ?? "close";
  switch (o.name) {
    case "sma":
    case "ema":
    case "rsi":
    case "roc":
    case "stdev":
      return `${o.name}|${input}|${per}`;
    case "atr":
      return `atr|${per}`;
    case "highest":
      return `hi|${o.input ?? "high"}|${per}`;
    case "lowest":
      return `lo|${o.input ?? "low"}|${per}`;
    case "avg_volume":
      return `avgvol|${per}`;
    case "volume_ratio":
      return `volratio|${per}`;
    case "atr_pct":
      return `atrpct|${per}`;
    case "gap_pct":
      return "gap";
    case "macd":
      return `macd|${input}|${v(o.fast, 12)}|${v(o.slow, 26)}|${v(o.signal, 9)}|${macdOutput(o)}`;
    case "bollinger":
      return `bb|${input}|${v(o.period, 20)}|${v(o.stdDevs, 2)}|${bollingerOutput(o)}`;
  }
}

/** Plain JSON-like values equal field by field (operands, whatever order their keys are in). */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    if (!sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) {
      return false;
    }
  }
  return true;
}

// A panel without bars, for counting the arrays signals take (nothing is ever written to it).
const NO_F64 = new Float64Array(0);
const NO_U8 = new Uint8Array(0);
const EMPTY: Panel = {
  dates: [],
  symbols: ["?"],
  sectors: [null],
  open: [NO_F64],
  high: [NO_F64],
  low: [NO_F64],
  close: [NO_F64],
  volume: [NO_F64],
  benchmark: NO_F64,
  benchmarkSymbol: "",
  adjustment: "split",
  startIndex: 0,
  source: "replay",
  notes: { survivorship: "", adjustment: "" },
};

/** Each rules object's count of signal arrays (see `arrays` in compile). */
const arrayCounts = new WeakMap<Rules, { f64: number; u8: number }>();

/** Compiles resolved rules (see resolveParams). */
export function compile(rules: Rules): Compiled {
  // One walk of the conditions gathers their operands and their crosses leaves (below).
  const all: Operand[] = [];
  const crosses: Leaf[] = [];
  for (const c of [rules.entry, rules.exit, rules.shortEntry, rules.shortExit]) {
    walkLeaves(c, all, crosses);
  }
  if (rules.ranking) all.push(rules.ranking.by);
  let lookback = 0;
  for (const o of all) lookback = Math.max(lookback, operandLookback(o));
  const e = rules.exits;
  const s = rules.sizing;
  const atrPeriod = e.atrStop ? v(e.atrStop.period, 14) : s.method === "atr" ? v(s.period, 14) : 0;
  const volPeriod = s.method === "volatility_target" || s.method === "inverse_volatility"
    ? v(s.period, 20)
    : 0;
  lookback = Math.max(lookback, atrPeriod + 1, volPeriod + 1);

  // SMAs of one input are computed two at a time (kernels.smaPair: the same values, in about
  // the time of one): each SMA's partner, keyed `input|period`, paired in order of appearance.
  const smaPeriods = new Map<string, number[]>();
  for (const o of all) {
    if (o.type !== "indicator" || o.name !== "sma") continue;
    const input = o.input ?? "close";
    const per = v(o.period, DEFAULT_PERIOD.sma ?? 14);
    const list = smaPeriods.get(input) ?? [];
    if (!list.includes(per)) list.push(per);
    smaPeriods.set(input, list);
  }
  // A crosses_above and a crosses_below of the same two operands are computed in one pass
  // (kernels.crossesBoth): each such leaf's partner, by the leaf objects themselves.
  const crossPartner = new Map<Condition, Condition>();
  for (const a of crosses) {
    if (a.op !== "crosses_above" || crossPartner.has(a)) continue;
    const b = crosses.find((x) =>
      x.op === "crosses_below" && !crossPartner.has(x) && sameValue(x.left, a.left) &&
      sameValue(x.right, a.right)
    );
    if (b) (crossPartner.set(a, b), crossPartner.set(b, a));
  }
  // The partner of an SMA of `input` over `per` bars: the periods pair up in their order.
  const smaPartner = (input: string, per: number): number | undefined => {
    const list = smaPeriods.get(input);
    const i = list ? list.indexOf(per) : -1;
    return i < 0 || (i ^ 1) >= list!.length ? undefined : list![i ^ 1];
  };

  // Counted once per rules object, by building the signals of an empty panel: the same code
  // path, so the count is exact (macd and bollinger build their own intermediate arrays and are
  // not counted). A sweep or a bench compiles the same rules object run after run; were it
  // changed in between, a stale count would only cost speed (arena.ts), never a result.
  const arrays = () => {
    let c = arrayCounts.get(rules);
    if (!c) {
      const n = { f64: 0, u8: 0 };
      build(EMPTY, 0, { f64: () => (n.f64++, NO_F64), u8: () => (n.u8++, NO_U8) });
      arrayCounts.set(rules, c = n);
    }
    return c;
  };

  const build = (panel: Panel, sym: number, take: Take): SymbolSignals => {
    const n = panel.dates.length;
    const cache = new Map<string, Float64Array>();
    const field = (f: string): Float64Array => {
      switch (f) {
        case "open":
          return panel.open[sym];
        case "high":
          return panel.high[sym];
        case "low":
          return panel.low[sym];
        case "volume":
          return panel.volume[sym];
        default:
          return panel.close[sym];
      }
    };
    const memo = (key: string, f: () => Float64Array) => {
      let a = cache.get(key);
      if (!a) cache.set(key, a = f());
      return a;
    };
    const indicator = (o: IndicatorOperand): Float64Array => {
      const key = indicatorKey(o);
      const hit = cache.get(key);
      if (hit) return hit;
      const per = v(o.period, DEFAULT_PERIOD[o.name] ?? 14);
      const input = o.input ?? "close";
      const x = field(input);
      let a: Float64Array;
      switch (o.name) {
        case "sma": {
          const partner = smaPartner(input, per);
          const partnerKey = partner === undefined ? "" : `sma|${input}|${partner}`;
          if (partner === undefined || cache.has(partnerKey)) {
            a = k.sma(x, per, take.f64());
            break;
          }
          a = take.f64();
          const b = take.f64();
          k.smaPair(x, per, partner, a, b);
          cache.set(partnerKey, b);
          break;
        }
        case "ema":
          a = k.ema(x, per, take.f64());
          break;
        case "rsi":
          a = k.rsi(x, per, take.f64());
          break;
        case "atr":
          a = k.atr(panel.high[sym], panel.low[sym], panel.close[sym], per, take.f64());
          break;
        case "roc":
          a = k.roc(x, per, take.f64());
          break;
        case "stdev":
          a = k.stdev(x, per, take.f64());
          break;
        case "highest":
          a = k.highest(field(o.input ?? "high"), per, take.f64());
          break;
        case "lowest":
          a = k.lowest(field(o.input ?? "low"), per, take.f64());
          break;
        case "avg_volume":
          a = k.sma(panel.volume[sym], per, take.f64());
          break;
        case "volume_ratio":
          a = k.volumeRatio(panel.volume[sym], per, take.f64());
          break;
        case "atr_pct":
          a = k.atrPct(panel.high[sym], panel.low[sym], panel.close[sym], per, take.f64());
          break;
        case "gap_pct":
          a = k.gapPct(panel.open[sym], panel.close[sym], take.f64());
          break;
        case "macd": {
          const [f, sl, sg] = [v(o.fast, 12), v(o.slow, 26), v(o.signal, 9)];
          a = k.macd(x, f, sl, sg)[macdOutput(o)];
          break;
        }
        case "bollinger":
          a = k.bollinger(x, v(o.period, 20), v(o.stdDevs, 2))[bollingerOutput(o)];
          break;
      }
      cache.set(key, a);
      return a;
    };
    const operands: Float64Array[] = [];
    const series = (o: Operand): Float64Array => {
      let base: Float64Array;
      if (o.type === "const") {
        const c = v(o.value, 0);
        base = memo(`const|${c}`, () => take.f64().fill(c));
      } else base = o.type === "price" ? field(o.field) : indicator(o);
      const ago = o.type === "const" ? 0 : o.barsAgo ?? 0;
      const f = o.type === "const" ? 1 : v(o.times, 1);
      // A negative "bars ago" is a peek into the future: the schema refuses one, but the
      // compiler follows it literally so the look-ahead check has something real to catch.
      // The factor applies to the value read (the shifted one), as the scanner applies it.
      const out = ago === 0 && f === 1 ? base : memo(`${JSON.stringify(o)}|shift`, () => {
        const a = take.f64().fill(NaN);
        for (let i = 0; i < n; i++) {
          const j = i - ago;
          if (j >= 0 && j < n) a[i] = base[j] * f;
        }
        return a;
      });
      operands.push(out);
      return out;
    };
    // The partner leaf's output, computed with its pair's: [left, right, signals].
    const crossed = new Map<Condition, [Float64Array, Float64Array, Uint8Array]>();
    const cond = (c: Condition | undefined): Uint8Array | null => {
      if (!c) return null;
      const done = crossed.get(c);
      if (done && "left" in c) {
        // Read again so the operands list is the one the two leaves would give one by one; a
        // pair whose series differ (rules changed since compile) is computed on its own.
        const l = series(c.left);
        const r = series(c.right);
        if (l === done[0] && r === done[1]) return done[2];
      }
      const out = take.u8();
      if ("all" in c) {
        out.fill(1);
        for (const x of c.all) {
          const a = cond(x)!;
          for (let i = 0; i < n; i++) out[i] &= a[i];
        }
      } else if ("any" in c) {
        for (const x of c.any) {
          const a = cond(x)!;
          for (let i = 0; i < n; i++) out[i] |= a[i];
        }
      } else if ("not" in c) {
        const a = cond(c.not)!;
        for (let i = 0; i < n; i++) out[i] = a[i] ^ 1;
      } else {
        const l = series(c.left);
        const r = series(c.right);
        // Comparisons with NaN are false: no signal during warm-up.
        switch (c.op) {
          case ">":
            for (let i = 0; i < n; i++) out[i] = l[i] > r[i] ? 1 : 0;
            break;
          case "<":
            for (let i = 0; i < n; i++) out[i] = l[i] < r[i] ? 1 : 0;
            break;
          case ">=":
            for (let i = 0; i < n; i++) out[i] = l[i] >= r[i] ? 1 : 0;
            break;
          case "<=":
            for (let i = 0; i < n; i++) out[i] = l[i] <= r[i] ? 1 : 0;
            break;
          // Own functions, so each is optimized for its one loop; `out` starts zeroed (Take).
          case "crosses_above":
          case "crosses_below": {
            const partner = crossPartner.get(c);
            if (partner === undefined || crossed.has(c)) {
              if (c.op === "crosses_above") k.crossesAbove(l, r, out);
              else k.crossesBelow(l, r, out);
              break;
            }
            const other = take.u8();
            if (c.op === "crosses_above") k.crossesBoth(l, r, out, other);
            else k.crossesBoth(l, r, other, out);
            crossed.set(partner, [l, r, other]);
            break;
          }
        }
      }
      return out;
    };
    const result: SymbolSignals = {
      entry: cond(rules.entry),
      exit: cond(rules.exit),
      shortEntry: cond(rules.shortEntry),
      shortExit: cond(rules.shortExit),
      rank: rules.ranking ? series(rules.ranking.by) : null,
      atr: atrPeriod
        ? memo(
          `atr|${atrPeriod}`,
          () => k.atr(panel.high[sym], panel.low[sym], panel.close[sym], atrPeriod, take.f64()),
        )
        : null,
      vol: volPeriod ? k.annualVol(panel.close[sym], volPeriod, take.f64()) : null,
      operands,
    };
    if (result.atr) operands.push(result.atr);
    if (result.vol) operands.push(result.vol);
    return result;
  };

  return {
    rules,
    lookback,
    arrays,
    signals(panel, sym, arena) {
      const n = panel.dates.length;
      const own = arena ?? new Arena({ f64: arrays().f64 * n, u8: arrays().u8 * Arena.padded(n) });
      return build(panel, sym, { f64: () => own.f64(n, false), u8: () => own.u8(n) });
    },
  };
}
