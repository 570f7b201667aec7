/**
 * The portfolio loop. At each bar t, in this order:
 *
 * 1. orders decided at the close of t−1 fill at the open of t (sales and covers first, then
 *    buys), at the paper broker's price for the open (lib/broker/fill_price.ts) plus the rule's
 *    slippage and commission;
 * 2. stops and targets are checked against t's real high and low; a gap through the level fills
 *    at the open (worse than the level for a stop), otherwise at the level; when a bar reaches
 *    both a stop and a target the stop is assumed first;
 * 3. equity is marked at the close: cash + Σ shares × close (a short's shares are negative);
 * 4. signals at t's close decide the orders for t+1.
 *
 * Cash rules: a long buy never spends more than the cash not backing shorts; short proceeds are
 * held as collateral, so gross exposure stays within equity (no margin leverage), which is how
 * the paper broker's buying power treats a cash account.
 *
 * Speed (bench/backtest_bench.ts): the run's arrays, its signals' included, live in one buffer
 * (arena.ts) that a caller done with the result gives back with `releaseRun`, for the next run
 * to reuse, and where a signal-driven rule without stops can do nothing (no order waiting, no
 * signal due) a stretch of bars is marked symbol by symbol instead of bar by bar, with the same
 * arithmetic in the same order, so no figure changes (engine_test.ts checks it bit for bit).
 * Such a rule on one symbol (the commonest run: one stock, a crossover) takes `runOne`
 * (one_path.ts), which marks from one signal to the next without the general loop's per-bar and
 * per-symbol work.
 *
 * @module
 */
import { commissionFor } from "../broker/fill_price.ts";
import type { Rules } from "../strategy/schema.ts";
import { Targets } from "./targets.ts";
import type { Compiled, SymbolSignals } from "./compile.ts";
import type { Panel } from "./data.ts";
import { Arena } from "./arena.ts";
import { affordable, execPriceOf } from "./execution.ts";
import { lastCloseIn, onePathFits, runOne } from "./one_path.ts";
import {
  EPS,
  type ExitReason,
  type Fill,
  REASONS,
  round6,
  type RunResult,
  type Trade,
} from "./result.ts";

export type { ExitReason, Fill, RunResult, Trade } from "./result.ts";

interface Book {
  qty: Float64Array;
  avg: Float64Array;
  entryBar: Int32Array;
  maxQty: Float64Array;
  realized: Float64Array;
  commission: Float64Array;
  cost: Float64Array;
  exitValue: Float64Array;
  exitQty: Float64Array;
  mark: Float64Array;
  stop: Float64Array;
  target: Float64Array;
  pending: Float64Array;
  pendingReason: Uint8Array;
}

export function periodKey(date: string, by: "weekly" | "monthly"): string {
  if (by === "monthly") return date.slice(0, 7);
  // ISO-ish week: days since epoch shifted so weeks start on Monday.
  const d = Date.parse(date) / 86_400_000;
  return String(Math.floor((d + 3) / 7));
}

/** Each result's arena, for releaseRun (a WeakMap keeps RunResult plain data). */
const arenas = new WeakMap<RunResult, Arena>();

/**
 * Gives a result's arrays back for the next run to reuse (arena.ts): call it once nothing will
 * read `equity`, `cash`, `gross` or `signals` again; from then on they are empty. Releasing is
 * optional (an unreleased result's memory is simply collected) and a second release does nothing.
 */
export function releaseRun(run: RunResult): void {
  arenas.get(run)?.release();
  arenas.delete(run);
}

/**
 * Runs compiled rules over a panel. Pure: same inputs, same result. `releaseRun` the result
 * when done with it, so the next run reuses its memory. `opts.generalLoop` makes a run that
 * `runOne` would take go through the general loop instead (tests compare the two).
 */
export function runBacktest(
  compiled: Compiled,
  panel: Panel,
  signalsIn?: SymbolSignals[],
  opts: { generalLoop?: boolean } = {},
): RunResult {
  const r: Rules = compiled.rules;
  const S = panel.symbols.length;
  const T = panel.dates.length;
  const t0 = panel.startIndex;
  const O = panel.open;
  const H = panel.high;
  const L = panel.low;
  const C = panel.close;
  const n = T - t0;
  // Every array of the run in one buffer (arena.ts): the signals' (unless given), the curves,
  // the book's columns, scratch.
  const per = signalsIn ? { f64: 0, u8: 0 } : compiled.arrays();
  const arena = Arena.take({
    f64: 3 * n + 13 * S + S * T * per.f64,
    i32: 2 * S,
    u8: Arena.padded(T) * (1 + S * per.u8) + 2 * Arena.padded(S),
  });
  const targets = new Targets(r, panel.sectors);
  if (S === 1 && !opts.generalLoop && onePathFits(r, targets)) {
    const sig = signalsIn ?? [compiled.signals(panel, 0, arena)];
    const result = runOne(r, panel, sig, targets, arena);
    arenas.set(result, arena);
    return result;
  }
  const busy = arena.u8(T);
  const sig = signalsIn ?? panel.symbols.map((_, s) => compiled.signals(panel, s, arena));
  // Written at every bar (by the bar loop or markStretch), so not cleared first.
  const equity = arena.f64(n, false);
  const cashOut = arena.f64(n, false);
  const gross = arena.f64(n, false);
  const num = (x: unknown) => x as number; // resolved rules hold numbers only
  const costs = r.costs;
  const ex = r.exits;
  const stopPct = ex.stopLossPercent !== undefined ? num(ex.stopLossPercent) : NaN;
  const tpPct = ex.takeProfitPercent !== undefined ? num(ex.takeProfitPercent) : NaN;
  const trailPct = ex.trailingStopPercent !== undefined ? num(ex.trailingStopPercent) : NaN;
  const atrMult = ex.atrStop ? num(ex.atrStop.multiple) : NaN;
  const maxBars = ex.maxBars !== undefined ? num(ex.maxBars) : Infinity;
  const maxPositions = Math.max(1, num(r.constraints.maxPositions));
  const longShort = r.constraints.direction === "long_short";
  const reb = r.timing.rebalance;
  const top = r.ranking ? Math.max(1, Math.floor(num(r.ranking.top))) : Infinity;
  const slots = Math.min(maxPositions, S, top);

  const qty = arena.f64(S);
  const avg = arena.f64(S);
  const maxQty = arena.f64(S);
  const realized = arena.f64(S);
  const commission = arena.f64(S);
  const cost = arena.f64(S);
  const exitValue = arena.f64(S);
  const exitQty = arena.f64(S);
  const mark = arena.f64(S);
  const stop = arena.f64(S, false).fill(NaN);
  const target = arena.f64(S, false).fill(NaN);
  const pending = arena.f64(S, false).fill(NaN);
  const lastClose = arena.f64(S, false).fill(NaN);
  const entryBar = arena.i32(S, false).fill(-1);
  const rankOrder = arena.i32(S);
  // Bars where any symbol has a signal: on the others a signal-driven rule has nothing to
  // decide, and the loop skips straight to marking the book.
  for (const g of sig) {
    if (g.entry) orInto(busy, g.entry);
    if (g.exit) orInto(busy, g.exit);
    if (g.shortEntry) orInto(busy, g.shortEntry);
    if (g.shortExit) orInto(busy, g.shortExit);
  }
  // The same bytes four at a time, to skip quiet stretches a word at a time (nextBusy).
  const busyWords = new Uint32Array(busy.buffer, busy.byteOffset, T >> 2);
  const pendingReason = arena.u8(S);
  const inTop = arena.u8(S);
  const b: Book = {
    qty,
    avg,
    entryBar,
    maxQty,
    realized,
    commission,
    cost,
    exitValue,
    exitQty,
    mark,
    stop,
    target,
    pending,
    pendingReason,
  };
  let cash = r.startingCash;
  const trades: Trade[] = [];
  const fills: Fill[] = [];

  const execPrice = (buy: boolean, s: number, t: number, px: number) =>
    execPriceOf(costs, panel, buy, s, t, px);

  // Fills `delta` shares (signed) of symbol s at bar t; `px` is the traded price (the open, a
  // stop or a target) and `exact` the fill price when already worked out.
  const fill = (s: number, t: number, delta: number, px: number, reason: number, exact = NaN) => {
    const price = exact === exact ? exact : execPrice(delta > 0, s, t, px);
    const qty = Math.abs(delta);
    const comm = commissionFor(costs.commission, qty, price);
    cash -= delta * price + comm;
    fills.push({ bar: t - t0, symbol: panel.symbols[s], qty: delta, price, commission: comm });
    const before = b.qty[s];
    const after = before + delta;
    if (before === 0 || Math.sign(before) === Math.sign(delta)) {
      // Opening or adding: a new average entry.
      if (before === 0) {
        b.entryBar[s] = t;
        b.realized[s] = 0;
        b.commission[s] = 0;
        b.cost[s] = 0;
        b.exitValue[s] = 0;
        b.exitQty[s] = 0;
        b.maxQty[s] = 0;
        b.mark[s] = price;
        setLevels(s, t, price, delta > 0);
      }
      b.avg[s] = (b.avg[s] * Math.abs(before) + price * qty) / Math.abs(after);
      b.cost[s] += price * qty;
    } else {
      // Reducing: realize against the average entry.
      b.realized[s] += (price - b.avg[s]) * qty * Math.sign(before);
      b.exitValue[s] += price * qty;
      b.exitQty[s] += qty;
    }
    b.commission[s] += comm;
    b.qty[s] = Math.abs(after) < EPS ? 0 : after;
    b.maxQty[s] = Math.max(b.maxQty[s], Math.abs(b.qty[s]));
    if (b.qty[s] === 0) closeTrade(s, t, REASONS[reason], before > 0);
  };

  const setLevels = (s: number, t: number, price: number, long: boolean) => {
    const dir = long ? 1 : -1;
    let stop = NaN;
    if (stopPct === stopPct) stop = price * (1 - dir * stopPct / 100);
    const a = sig[s].atr;
    // The ATR known at the close before the entry (the signal bar).
    if (atrMult === atrMult && a && t > 0 && a[t - 1] === a[t - 1]) {
      const st = price - dir * atrMult * a[t - 1];
      stop = stop === stop ? (long ? Math.max(stop, st) : Math.min(stop, st)) : st;
    }
    b.stop[s] = stop;
    b.target[s] = tpPct === tpPct ? price * (1 + dir * tpPct / 100) : NaN;
  };

  const closeTrade = (s: number, t: number, reason: ExitReason, long: boolean) => {
    const pnl = b.realized[s] - b.commission[s];
    trades.push({
      symbol: panel.symbols[s],
      direction: long ? "long" : "short",
      entryDate: panel.dates[b.entryBar[s]],
      entryPrice: round6(b.cost[s] / Math.max(EPS, b.exitQty[s] || b.maxQty[s])),
      exitDate: panel.dates[t],
      exitPrice: round6(b.exitValue[s] / Math.max(EPS, b.exitQty[s])),
      qty: b.maxQty[s],
      pnl: round6(pnl),
      returnPct: round6(100 * pnl / Math.max(EPS, b.cost[s])),
      bars: t - b.entryBar[s],
      reason,
      commission: round6(b.commission[s]),
    });
    b.entryBar[s] = -1;
    b.stop[s] = NaN;
    b.target[s] = NaN;
  };

  const sortBuf: number[] = [];
  const periodic = typeof reb === "string" && reb !== "daily" ? reb : null;
  const rankDesc = r.ranking?.order !== "asc";
  let invSum = 0;
  let rankT = 0;
  const byRank = (a: number, c: number) => {
    const d = sig[a].rank![rankT] - sig[c].rank![rankT];
    return (rankDesc ? -d : d) || a - c;
  };

  let prevKey = "";
  const ranked = r.ranking !== undefined;
  const inverseVol = r.sizing.method === "inverse_volatility";
  const resize = targets.resizes;
  let pendingCount = 0;
  const hasStops = stopPct === stopPct || atrMult === atrMult || tpPct === tpPct ||
    trailPct === trailPct;
  const eventDriven = !ranked && !resize && !periodic && maxBars === Infinity;
  // A signal-driven rule without stops acts only where a signal is due (busy) or an order
  // waits for the open: the bars between are only marked, a stretch at a time (markStretch).
  const stretches = eventDriven && !hasStops;

  /**
   * Marks bars a..z−1, on which nothing fills and nothing is decided, symbol by symbol. Each
   * bar's value and gross exposure add up its symbols in the same order as the bar loop's step
   * 3, so every figure is the same to the last bit. (Trailing marks need no update: no stops.)
   */
  // Plain loops rather than fill(): a stretch is a few dozen bars, where fill's call costs more
  // than the writes. The curves, the cash and the bounds are read into locals first: a loop
  // over the closure's own variables reloads them on every bar.
  const markStretch = (a: number, z: number) => {
    const lo = a - t0;
    const hi = z - t0;
    const eqOut = equity;
    const grossOut = gross;
    const cashNow = cash;
    const cashCurve = cashOut;
    let held = 0;
    let only = -1;
    for (let s = 0; s < S; s++) {
      if (b.qty[s] !== 0) (held++, only = s);
      else lastClose[s] = lastCloseIn(C[s], a, z, lastClose[s]);
    }
    if (held === 0) {
      // Nothing held: equity is cash + 0 (as step 3 adds it up) and exposure 0.
      const eq = cashNow + 0;
      for (let i = lo; i < hi; i++) (cashCurve[i] = cashNow, eqOut[i] = eq, grossOut[i] = 0);
      return;
    }
    if (held === 1) {
      // One position: its value is the whole sum (0 + v), in one pass.
      const c = C[only];
      const q = b.qty[only];
      let lc = lastClose[only];
      for (let t = a, i = lo; t < z; t++, i++) {
        const x = c[t];
        if (x === x) lc = x;
        const v = q * lc;
        const eq = cashNow + (0 + v);
        cashCurve[i] = cashNow;
        eqOut[i] = eq;
        grossOut[i] = eq > 0 ? (0 + Math.abs(v)) / eq : 0;
      }
      lastClose[only] = lc;
      return;
    }
    // equity and gross gather the sums from 0, as step 3's do.
    for (let i = lo; i < hi; i++) (cashCurve[i] = cashNow, eqOut[i] = 0, grossOut[i] = 0);
    for (let s = 0; s < S; s++) {
      const q = b.qty[s];
      if (q === 0) continue;
      const c = C[s];
      let lc = lastClose[s];
      for (let t = a, i = lo; t < z; t++, i++) {
        const x = c[t];
        if (x === x) lc = x;
        const v = q * lc;
        eqOut[i] += v;
        grossOut[i] += Math.abs(v);
      }
      lastClose[s] = lc;
    }
    for (let i = lo; i < hi; i++) {
      const eq = cashNow + eqOut[i];
      eqOut[i] = eq;
      grossOut[i] = eq > 0 ? grossOut[i] / eq : 0;
    }
  };

  const decide = (t: number, eq: number) => {
    const key = periodic ? periodKey(panel.dates[t], periodic) : "";
    const rebalanceDay = !periodic || key !== prevKey;
    prevKey = key;

    let held = 0;
    for (let s = 0; s < S; s++) {
      const q = b.qty[s];
      if (q === 0) continue;
      const g = sig[s];
      const exitSig = q > 0 ? g.exit : g.shortExit;
      if (t - b.entryBar[s] >= maxBars) {
        if (b.pending[s] !== b.pending[s]) pendingCount++;
        b.pending[s] = 0;
        b.pendingReason[s] = 4;
      } else if (exitSig !== null && exitSig[t] === 1) {
        if (b.pending[s] !== b.pending[s]) pendingCount++;
        b.pending[s] = 0;
        b.pendingReason[s] = 0;
      } else held++;
    }

    let nTop = 0;
    if (ranked && rebalanceDay) {
      // Candidates: a rank value, and the entry condition when there is one.
      sortBuf.length = 0;
      for (let s = 0; s < S; s++) {
        inTop[s] = 0;
        const v = sig[s].rank![t];
        const en = sig[s].entry;
        if (v === v && C[s][t] > 0 && (en === null || en[t] === 1)) sortBuf.push(s);
      }
      rankT = t;
      sortBuf.sort(byRank);
      nTop = Math.min(sortBuf.length, top);
      for (let i = 0; i < nTop; i++) (inTop[sortBuf[i]] = 1, rankOrder[i] = sortBuf[i]);
      for (let s = 0; s < S; s++) {
        if (b.qty[s] !== 0 && b.pending[s] !== 0 && !inTop[s]) {
          if (b.pending[s] !== b.pending[s]) pendingCount++;
          b.pending[s] = 0;
          b.pendingReason[s] = 5;
          held--;
        }
      }
    }

    if (!rebalanceDay) return;
    let room = maxPositions - held;
    if (targets.sectorCap !== Infinity) {
      targets.startDay();
      for (let s = 0; s < S; s++) {
        if (b.qty[s] === 0 || b.pending[s] === 0) continue;
        targets.hold(s, Math.abs(b.qty[s] * lastClose[s]) / eq);
      }
    }
    const count = ranked ? nTop : S;
    // Inverse volatility: weights over the set that will be held.
    invSum = 0;
    if (inverseVol) {
      for (let i = 0; i < count; i++) {
        const s = ranked ? rankOrder[i] : i;
        const vol = sig[s].vol![t];
        const en = sig[s].entry;
        const will = (b.qty[s] !== 0 && b.pending[s] !== 0) ||
          (b.qty[s] === 0 && (ranked || (en !== null && en[t] === 1)));
        if (will && vol > 0) invSum += 1 / vol;
      }
    }

    // Held positions go back to their target size on a scheduled rebalance, or when a weight
    // drifted past the threshold.
    if (resize) {
      for (let s = 0; s < S; s++) {
        const q = b.qty[s];
        if (q === 0 || b.pending[s] === 0) continue;
        const px = C[s][t];
        const want = targets.resize(sig[s], t, s, q, px, lastClose[s], eq, { slots, invSum });
        if (want !== want) continue;
        if (b.pending[s] !== b.pending[s]) pendingCount++;
        b.pending[s] = want;
        b.pendingReason[s] = 0;
      }
    }

    for (let i = 0; i < count && room > 0; i++) {
      const s = ranked ? rankOrder[i] : i;
      if (b.qty[s] !== 0 || b.pending[s] === b.pending[s]) continue;
      const g = sig[s];
      let dir = 0;
      if (ranked || (g.entry !== null && g.entry[t] === 1)) dir = 1;
      else if (longShort && g.shortEntry !== null && g.shortEntry[t] === 1) dir = -1;
      if (!dir) continue;
      const q = dir * targets.entry(sig[s], t, s, C[s][t], eq, { slots, invSum });
      if (q === 0) continue;
      if (b.pending[s] !== b.pending[s]) pendingCount++;
      b.pending[s] = q;
      b.pendingReason[s] = 0;
      room--;
    }
  };

  for (let t = t0; t < T; t++) {
    if (stretches && pendingCount === 0 && busy[t] === 0) {
      const z = nextBusy(busy, busyWords, t + 1, T);
      markStretch(t, z);
      t = z - 1;
      continue;
    }
    // 1. Fills at the open: reductions first so their cash is there for the buys.
    for (let pass = 0; pass < 2 && pendingCount > 0; pass++) {
      for (let s = 0; s < S; s++) {
        const want = b.pending[s];
        if (want !== want) continue;
        const o = O[s][t];
        if (!(o > 0)) {
          b.pending[s] = NaN;
          continue;
        }
        const have = b.qty[s];
        const reducing = Math.abs(want) < Math.abs(have) || Math.sign(want) !== Math.sign(have);
        if ((pass === 0) !== reducing) continue;
        b.pending[s] = NaN;
        if (Math.sign(want) !== Math.sign(have) && have !== 0) {
          fill(s, t, -have, o, b.pendingReason[s]);
          if (want === 0) continue;
        }
        let delta = want - b.qty[s];
        if (Math.abs(delta) < EPS) continue;
        const growing = Math.abs(want) > Math.abs(b.qty[s]);
        if (growing) {
          // What the cash allows at this open: a buy spends cash not backing shorts; a short
          // keeps gross exposure within equity.
          let shortBacking = 0;
          for (let j = 0; j < S; j++) {
            const pj = O[j][t] > 0 ? O[j][t] : lastClose[j];
            if (b.qty[j] < 0) shortBacking -= b.qty[j] * pj;
          }
          // equity − gross = (cash + long − short) − (long + short) = cash − 2 × short.
          const free = delta > 0 ? cash - shortBacking : cash - 2 * shortBacking;
          const price = execPrice(delta > 0, s, t, o);
          delta = affordable(delta, free, price, costs.commission);
          if (delta === 0) continue;
          fill(s, t, delta, o, b.pendingReason[s], price);
          continue;
        }
        fill(s, t, delta, o, b.pendingReason[s]);
      }
    }

    pendingCount = 0;

    // 2. Stops and targets on this bar's range.
    for (let s = 0; s < S && hasStops; s++) {
      const q = b.qty[s];
      if (q === 0) continue;
      const o = O[s][t];
      const h = H[s][t];
      const l = L[s][t];
      if (!(o > 0)) continue;
      const long = q > 0;
      let stop = b.stop[s];
      let reason = 1;
      if (trailPct === trailPct) {
        const tr = long ? b.mark[s] * (1 - trailPct / 100) : b.mark[s] * (1 + trailPct / 100);
        if (stop !== stop || (long ? tr > stop : tr < stop)) (stop = tr, reason = 3);
      }
      if (stop === stop) {
        if (long ? o <= stop : o >= stop) {
          fill(s, t, -q, o, reason);
          continue;
        }
        if (long ? l <= stop : h >= stop) {
          fill(s, t, -q, stop, reason);
          continue;
        }
      }
      const tg = b.target[s];
      if (tg === tg) {
        if (long ? o >= tg : o <= tg) fill(s, t, -q, o, 2);
        else if (long ? h >= tg : l <= tg) fill(s, t, -q, tg, 2);
      }
    }

    // 3. Mark at the close.
    let value = 0;
    let grossV = 0;
    for (let s = 0; s < S; s++) {
      const c = C[s][t];
      if (c === c) lastClose[s] = c;
      const q = b.qty[s];
      if (q !== 0) {
        const v = q * lastClose[s];
        value += v;
        grossV += Math.abs(v);
        const hl = q > 0 ? H[s][t] : L[s][t];
        if (hl === hl) b.mark[s] = q > 0 ? Math.max(b.mark[s], hl) : Math.min(b.mark[s], hl);
      }
    }
    const eq = cash + value;
    equity[t - t0] = eq;
    cashOut[t - t0] = cash;
    gross[t - t0] = eq > 0 ? grossV / eq : 0;
    if (t === T - 1) break;

    // 4. Decisions at the close for the next open.
    if (!eventDriven || busy[t] !== 0) decide(t, eq);
  }

  // Positions still open at the end: reported, marked at the last close, not counted as trades.
  const open: Trade[] = [];
  for (let s = 0; s < S; s++) {
    const q = b.qty[s];
    if (q === 0) continue;
    const px = lastClose[s];
    const pnl = b.realized[s] + (px - b.avg[s]) * q - b.commission[s];
    open.push({
      symbol: panel.symbols[s],
      direction: q > 0 ? "long" : "short",
      entryDate: panel.dates[b.entryBar[s]],
      entryPrice: round6(b.avg[s]),
      exitDate: panel.dates[T - 1],
      exitPrice: px,
      qty: Math.abs(q),
      pnl: round6(pnl),
      returnPct: round6(100 * pnl / Math.max(EPS, b.cost[s])),
      bars: T - 1 - b.entryBar[s],
      reason: "end",
      commission: round6(b.commission[s]),
    });
  }

  const result: RunResult = {
    // Not copied when the run covers the whole panel (2,340 dates cost more than its loop).
    dates: t0 === 0 ? panel.dates : panel.dates.slice(t0),
    equity,
    cash: cashOut,
    gross,
    benchmark: panel.benchmark.subarray(t0),
    trades,
    open,
    startingCash: r.startingCash,
    signals: sig,
    fills,
  };
  arenas.set(result, arena);
  return result;
}

/**
 * The first bar from `t` on (below `T`) where `busy` is set, else `T`; `words` views busy's
 * whole words (its first T >> 2), so a quiet stretch is crossed four bars per read.
 */
export function nextBusy(busy: Uint8Array, words: Uint32Array, t: number, T: number): number {
  while (t < T && (t & 3) !== 0) {
    if (busy[t] !== 0) return t;
    t++;
  }
  let w = t >> 2;
  const W = words.length;
  while (w < W && words[w] === 0) w++;
  // Never back before `t`: past the last whole word, w << 2 is behind it (the tail bars).
  for (t = Math.max(t, w << 2); t < T; t++) if (busy[t] !== 0) return t;
  return T;
}

/** into |= a: four signal bytes at a time where both start on a 4-byte boundary. */
function orInto(into: Uint8Array, a: Uint8Array): void {
  const n = Math.min(into.length, a.length);
  let i = 0;
  if (into.byteOffset % 4 === 0 && a.byteOffset % 4 === 0) {
    const words = n >> 2;
    const x = new Uint32Array(into.buffer, into.byteOffset, words);
    const y = new Uint32Array(a.buffer, a.byteOffset, words);
    for (let k = 0; k < words; k++) x[k] |= y[k];
    i = words << 2;
  }
  for (; i < n; i++) into[i] |= a[i];
}
