/**
 * The one-symbol path of a backtest: a signal-driven rule on one stock without stops (the
 * commonest run, a crossover) marks its bars from one signal to the next instead of going
 * through the general loop's per-bar and per-symbol work. Same arithmetic, same order, same
 * figures to the last bit as engine.ts (one_path_test.ts compares them on random rules).
 *
 * @module
 */
import { commissionFor } from "../broker/fill_price.ts";
import type { Rules } from "../strategy/schema.ts";
import type { Targets } from "./targets.ts";
import type { SymbolSignals } from "./compile.ts";
import type { Panel } from "./data.ts";
import type { Arena } from "./arena.ts";
import { affordable, execPriceOf } from "./execution.ts";
import {
  EPS,
  type ExitReason,
  type Fill,
  REASONS,
  round6,
  type RunResult,
  type Trade,
} from "./result.ts";

/**
 * Whether a one-symbol run of these rules may take `runOne`: signal-driven (no ranking, no
 * resizing, no periodic rebalance, no time exit) and without stops, targets or trailing stops,
 * so that a bar does something only when a signal is due or an order waits for the open.
 */
export function onePathFits(r: Rules, targets: Targets): boolean {
  const ex = r.exits;
  const reb = r.timing.rebalance;
  return ex.stopLossPercent === undefined && ex.takeProfitPercent === undefined &&
    ex.trailingStopPercent === undefined && !ex.atrStop && ex.maxBars === undefined &&
    r.ranking === undefined && !targets.resizes && !(typeof reb === "string" && reb !== "daily");
}

/**
 * One symbol's book for `runOne`: what happens at a fill or a decision, in plain methods kept
 * apart from the marking loops. The same arithmetic, in the same order, as runBacktest's
 * `fill`, `closeTrade`, step 1 and `decide` for one symbol.
 */
class OneBook {
  cash: number;
  qty = 0;
  avg = 0;
  entryBar = -1;
  maxQty = 0;
  realized = 0;
  commission = 0;
  cost = 0;
  exitValue = 0;
  exitQty = 0;
  /** The last known close before the bar being filled (step 1's short backing reads it). */
  lastClose = NaN;
  readonly trades: Trade[] = [];
  readonly fills: Fill[] = [];
  readonly #r: Rules;
  readonly #panel: Panel;
  readonly #sig: SymbolSignals;
  readonly #targets: Targets;
  readonly #open: Float64Array;

  constructor(r: Rules, panel: Panel, sig: SymbolSignals, targets: Targets) {
    this.cash = r.startingCash;
    this.#r = r;
    this.#panel = panel;
    this.#sig = sig;
    this.#targets = targets;
    this.#open = panel.open[0];
  }

  /** Step 1 for the order `want` (signed target shares) waiting for bar t's open. */
  order(t: number, want: number, reason: number): void {
    const o = this.#open[t];
    if (!(o > 0)) return;
    const have = this.qty;
    if (Math.sign(want) !== Math.sign(have) && have !== 0) {
      this.fill(t, -have, o, reason, NaN);
      if (want === 0) return;
    }
    let delta = want - this.qty;
    if (Math.abs(delta) < EPS) return;
    if (!(Math.abs(want) > Math.abs(this.qty))) {
      this.fill(t, delta, o, reason, NaN);
      return;
    }
    // What the cash allows at this open (runBacktest's step 1 says why).
    let shortBacking = 0;
    const pj = o > 0 ? o : this.lastClose;
    if (this.qty < 0) shortBacking -= this.qty * pj;
    const free = delta > 0 ? this.cash - shortBacking : this.cash - 2 * shortBacking;
    const costs = this.#r.costs;
    const price = execPriceOf(costs, this.#panel, delta > 0, 0, t, o);
    delta = affordable(delta, free, price, costs.commission);
    if (delta === 0) return;
    this.fill(t, delta, o, reason, price);
  }

  /** `delta` shares (signed) at bar t; `px` traded, `exact` the fill price when known (else NaN). */
  fill(t: number, delta: number, px: number, reason: number, exact: number): void {
    const costs = this.#r.costs;
    const price = exact === exact ? exact : execPriceOf(costs, this.#panel, delta > 0, 0, t, px);
    const qty = Math.abs(delta);
    const comm = commissionFor(costs.commission, qty, price);
    this.cash -= delta * price + comm;
    const panel = this.#panel;
    this.fills.push({
      bar: t - panel.startIndex,
      symbol: panel.symbols[0],
      qty: delta,
      price,
      commission: comm,
    });
    const before = this.qty;
    const after = before + delta;
    if (before === 0 || Math.sign(before) === Math.sign(delta)) {
      if (before === 0) {
        this.entryBar = t;
        this.realized = 0;
        this.commission = 0;
        this.cost = 0;
        this.exitValue = 0;
        this.exitQty = 0;
        this.maxQty = 0;
      }
      this.avg = (this.avg * Math.abs(before) + price * qty) / Math.abs(after);
      this.cost += price * qty;
    } else {
      this.realized += (price - this.avg) * qty * Math.sign(before);
      this.exitValue += price * qty;
      this.exitQty += qty;
    }
    this.commission += comm;
    this.qty = Math.abs(after) < EPS ? 0 : after;
    this.maxQty = Math.max(this.maxQty, Math.abs(this.qty));
    if (this.qty === 0) this.#closeTrade(t, REASONS[reason], before > 0);
  }

  #closeTrade(t: number, reason: ExitReason, long: boolean): void {
    const pnl = this.realized - this.commission;
    const dates = this.#panel.dates;
    this.trades.push({
      symbol: this.#panel.symbols[0],
      direction: long ? "long" : "short",
      entryDate: dates[this.entryBar],
      entryPrice: round6(this.cost / Math.max(EPS, this.exitQty || this.maxQty)),
      exitDate: dates[t],
      exitPrice: round6(this.exitValue / Math.max(EPS, this.exitQty)),
      qty: this.maxQty,
      pnl: round6(pnl),
      returnPct: round6(100 * pnl / Math.max(EPS, this.cost)),
      bars: t - this.entryBar,
      reason,
      commission: round6(this.commission),
    });
    this.entryBar = -1;
  }

  /**
   * The order an entry signal at bar t's close gives, with equity `eq` (nothing held, no order
   * waiting): signed shares, 0 for none. `dir` is 1 for a long entry, −1 for a short one.
   */
  entry(t: number, dir: number, eq: number): number {
    const g = this.#sig;
    const targets = this.#targets;
    targets.startDay();
    // Inverse volatility: the weights of the set that will be held, this symbol on a long entry.
    let invSum = 0;
    if (this.#r.sizing.method === "inverse_volatility") {
      const vol = g.vol![t];
      const en = g.entry;
      if (en !== null && en[t] === 1 && vol > 0) invSum += 1 / vol;
    }
    return dir * targets.entry(g, t, 0, this.#panel.close[0][t], eq, { slots: 1, invSum });
  }

  /** A position still open after the last bar, marked at the last close. */
  openTrade(): Trade[] {
    const q = this.qty;
    if (q === 0) return [];
    const panel = this.#panel;
    const T = panel.dates.length;
    const px = this.lastClose;
    const pnl = this.realized + (px - this.avg) * q - this.commission;
    return [{
      symbol: panel.symbols[0],
      direction: q > 0 ? "long" : "short",
      entryDate: panel.dates[this.entryBar],
      entryPrice: round6(this.avg),
      exitDate: panel.dates[T - 1],
      exitPrice: px,
      qty: Math.abs(q),
      pnl: round6(pnl),
      returnPct: round6(100 * pnl / Math.max(EPS, this.cost)),
      bars: T - 1 - this.entryBar,
      reason: "end",
      commission: round6(this.commission),
    }];
  }
}

/**
 * runBacktest for one symbol under rules `onePathFits` takes: the bars are marked from one
 * signal to act on to the next by two small loops (nothing held, one position held), and the
 * fills and decisions between are a OneBook's. The general loop does the same arithmetic in
 * the same order, so every figure is the same to the last bit (one_path_test.ts runs random
 * rules, bars, costs and dates through both). Kept apart, the marking loops stay tight: when
 * the fill and decision code was inlined into one bar loop, the loop took twice as long.
 */
export function runOne(
  r: Rules,
  panel: Panel,
  sig: SymbolSignals[],
  targets: Targets,
  arena: Arena,
): RunResult {
  const T = panel.dates.length;
  const t0 = panel.startIndex;
  const n = T - t0;
  const equity = arena.f64(n, false);
  const cashOut = arena.f64(n, false);
  const gross = arena.f64(n, false);
  const C = panel.close[0];
  const g = sig[0];
  const entry = g.entry;
  const exit = g.exit;
  const shortEntry = r.constraints.direction === "long_short" ? g.shortEntry : null;
  const shortExit = g.shortExit;
  const book = new OneBook(r, panel, g, targets);
  let quiet: Uint8Array | null = null; // no signal on any bar: what a missing condition watches
  const never = () => quiet ??= arena.u8(T);
  const last = T - 1;
  let lc = NaN;
  let t = t0;
  // Each turn marks bars t..z at the close (step 3) up to the first bar z with a signal to act
  // on (else the last bar), decides there (step 4), and fills that order at z + 1's open (step
  // 1). The marking loops are functions of their own, apart from the fills and decisions.
  while (t <= last) {
    let want = NaN;
    const q = book.qty;
    let z: number;
    if (q === 0) {
      const a = entry ?? shortEntry ?? never();
      z = markFlat(equity, cashOut, gross, t0, t, last, book.cash, a, shortEntry ?? a);
      lc = lastCloseIn(C, t, z + 1, lc);
      if (z === last) break;
      const eq = equity[z - t0];
      const dir = entry !== null && entry[z] === 1 ? 1 : -1;
      want = book.entry(z, dir, eq);
      if (want === 0) want = NaN;
    } else {
      const x = (q > 0 ? exit : shortExit) ?? never();
      z = markHeld(equity, cashOut, gross, t0, t, last, book.cash, C, q, lc, x);
      lc = lastCloseIn(C, t, z + 1, lc);
      if (z === last) break;
      want = 0;
    }
    t = z + 1;
    if (want === want) {
      book.lastClose = lc;
      book.order(t, want, 0);
    }
  }
  book.lastClose = lc;
  const result: RunResult = {
    dates: t0 === 0 ? panel.dates : panel.dates.slice(t0),
    equity,
    cash: cashOut,
    gross,
    benchmark: panel.benchmark.subarray(t0),
    trades: book.trades,
    open: book.openTrade(),
    startingCash: r.startingCash,
    signals: sig,
    fills: book.fills,
  };
  return result;
}

/**
 * Marks bars t..z with nothing held (equity cash + 0, as step 3 adds it up, and no exposure),
 * where z is the first bar before `last` on which `a` or `b` signals, else `last`; returns z.
 */
function markFlat(
  equity: Float64Array,
  cashOut: Float64Array,
  gross: Float64Array,
  t0: number,
  t: number,
  last: number,
  cash: number,
  a: Uint8Array,
  b: Uint8Array,
): number {
  const eq = cash + 0;
  for (let i = t - t0; t < last; t++, i++) {
    cashOut[i] = cash;
    equity[i] = eq;
    gross[i] = 0;
    if (a[t] === 1 || b[t] === 1) return t;
  }
  cashOut[last - t0] = cash;
  equity[last - t0] = eq;
  gross[last - t0] = 0;
  return last;
}

/**
 * Marks bars t..z holding `q` shares of the symbol whose closes are `c` (`lc` its last known
 * close before t), as step 3 adds one position up, where z is the first bar before `last` on
 * which `x` signals, else `last`; returns z.
 */
function markHeld(
  equity: Float64Array,
  cashOut: Float64Array,
  gross: Float64Array,
  t0: number,
  t: number,
  last: number,
  cash: number,
  c: Float64Array,
  q: number,
  lc: number,
  x: Uint8Array,
): number {
  for (let i = t - t0; t <= last; t++, i++) {
    const p = c[t];
    if (p === p) lc = p;
    const v = q * lc;
    const eq = cash + (0 + v);
    cashOut[i] = cash;
    equity[i] = eq;
    gross[i] = eq > 0 ? (0 + Math.abs(v)) / eq : 0;
    if (t < last && x[t] === 1) return t;
  }
  return last;
}

/** The last known close in c[a..z−1], else `before`. */
export function lastCloseIn(c: Float64Array, a: number, z: number, before: number): number {
  for (let t = z - 1; t >= a; t--) if (c[t] === c[t]) return c[t];
  return before;
}
