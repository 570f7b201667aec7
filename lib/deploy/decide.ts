/**
 * From a session's signals to the orders a deployment proposes for the next open, following the
 * backtest loop's decisions at a close (lib/backtest/engine.ts `decide`): exits first (the exit
 * signal, the time exit, a ranked book's rotation); then, on a rebalance day, held positions back
 * to their target size and entries in symbol (or rank) order while there is room. Sizes come from
 * the loop's own targets (lib/backtest/targets.ts: the rules' sizing on the deployment's equity,
 * the weight limit, the sector cap, the drift threshold), then the deployment's order-value limit
 * and its free cash. Periodic rebalancing acts only on the first session of a week or month, as
 * the loop does.
 *
 * The stop, target and trailing exits come first, decided on the session's bar as the loop
 * decides them inside it (exits.ts); the deployment proposes them for the next open.
 *
 * What a deployment has on the way (a proposal pending, an order working) counts toward its
 * sector as if it had filled, so approving every proposal never breaks the sector cap.
 *
 * @module
 */
import type { SymbolSignals } from "../backtest/compile.ts";
import { periodKey } from "../backtest/engine.ts";
import { Targets } from "../backtest/targets.ts";
import type { Rules } from "../strategy/schema.ts";
import type { Book } from "./book.ts";
import { protectiveExit, type SymbolBars } from "./exits.ts";

export interface DeploymentLimits {
  /** Most positions at once (also capped by the rules' own constraint); null: the rules'. */
  maxPositions: number | null;
  /** Largest value of one order, USD; null: no limit beyond the allocation. */
  maxOrderValue: number | null;
}

export interface DecisionInput {
  rules: Rules;
  symbols: string[];
  /** The signal series as known at the close of `t` (signalsAt). */
  series: SymbolSignals[];
  /** The panel's dates (so far) and each symbol's closes: what the loop sizes with. */
  dates: string[];
  close: ArrayLike<number>[];
  /** Each symbol's sector (the panel's), for the sector cap. */
  sectors: readonly (string | null)[];
  /** Each symbol's open, high and low (the panel's rows): the stop, target and trailing exits. */
  bars: SymbolBars[];
  /** The bar being decided at, and the first bar the deployment trades. */
  t: number;
  t0: number;
  book: Book;
  /** The deployment's equity at this close (markBook). */
  equity: number;
  /**
   * Symbols with a proposal still pending or an order still working (decided already), with the
   * signed shares still to come of them.
   */
  busy: ReadonlyMap<string, number>;
  limits: DeploymentLimits;
}

export interface Intent {
  symbol: string;
  side: "buy" | "sell";
  qty: number;
  /** Why, in words (the proposal's note). */
  why: string;
  kind:
    | "entry"
    | "short_entry"
    | "exit"
    | "cover"
    | "time_exit"
    | "rotation"
    | "rebalance"
    | "stop"
    | "target"
    | "trailing";
}

export interface Skip {
  symbol: string;
  why: string;
}

const num = (x: unknown) => x as number; // resolved rules hold numbers only
const round2 = (x: number) => Math.round(x * 100) / 100;

/** The orders to propose at the close of bar `t`, and the signals left unacted on (why). */
export function decide(d: DecisionInput): { intents: Intent[]; skipped: Skip[] } {
  const { rules: r, symbols, series: sig, t, book } = d;
  const intents: Intent[] = [];
  const skipped: Skip[] = [];
  const S = symbols.length;
  const date = d.dates[t];
  const maxBars = r.exits.maxBars !== undefined ? num(r.exits.maxBars) : Infinity;
  const maxPositions = Math.max(
    1,
    Math.min(num(r.constraints.maxPositions), d.limits.maxPositions ?? Infinity),
  );
  const longShort = r.constraints.direction === "long_short";
  const reb = r.timing.rebalance;
  const periodic = typeof reb === "string" && reb !== "daily" ? reb : null;
  const rebalanceDay = !periodic || t <= d.t0 ||
    periodKey(d.dates[t], periodic) !== periodKey(d.dates[t - 1], periodic);
  const ranked = r.ranking !== undefined;
  const top = r.ranking ? Math.max(1, Math.floor(num(r.ranking.top))) : Infinity;
  const slots = Math.min(maxPositions, S, top);

  const exiting = new Set<string>();
  // Sales fill at the same open as the buys, first (as in the loop): their proceeds, at this
  // close, count toward what the buys may spend.
  let proceeds = 0;
  const exit = (s: number, kind: Intent["kind"], why: string) => {
    const h = book.holdings.get(symbols[s])!;
    exiting.add(symbols[s]);
    if (h.qty > 0 && d.close[s][t] > 0) proceeds += h.qty * d.close[s][t];
    intents.push({
      symbol: symbols[s],
      side: h.qty > 0 ? "sell" : "buy",
      qty: Math.abs(h.qty),
      kind: kind === "exit" && h.qty < 0 ? "cover" : kind,
      why,
    });
  };

  let held = 0;
  for (let s = 0; s < S; s++) {
    const h = book.holdings.get(symbols[s]);
    if (!h || h.qty === 0) continue;
    if (d.busy.has(symbols[s])) {
      held++;
      continue;
    }
    const g = sig[s];
    const exitSig = h.qty > 0 ? g.exit : g.shortExit;
    const since = h.since ? d.dates.indexOf(h.since) : -1;
    const hit = since >= 0
      ? protectiveExit(
        r,
        { qty: h.qty, entryPrice: h.avgPrice, entryBar: since },
        d.bars[s],
        g.atr,
        t,
      )
      : null;
    if (hit) {
      const what = hit.reason === "trailing" ? "trailing stop" : hit.reason;
      exit(
        s,
        hit.reason,
        `The ${what} at ${round2(hit.level)} USD was reached on ${date}` +
          `${hit.gap ? " (the session opened through it)" : ""}; the backtest sells inside ` +
          "the bar, this sells at the next open.",
      );
    } else if (since >= 0 && t - since >= maxBars) {
      exit(s, "time_exit", `Held ${t - since} sessions: the rules exit after ${maxBars}.`);
    } else if (exitSig !== null && exitSig[t] === 1) {
      exit(s, "exit", `The ${h.qty > 0 ? "exit" : "cover"} condition held at the ${date} close.`);
    } else held++;
  }

  let order: number[] = symbols.map((_, s) => s);
  if (ranked && rebalanceDay) {
    const desc = r.ranking?.order !== "asc";
    order = order.filter((s) => {
      const v = sig[s].rank![t];
      const en = sig[s].entry;
      return v === v && d.close[s][t] > 0 && (en === null || en[t] === 1);
    }).sort((a, b) => {
      const x = sig[a].rank![t] - sig[b].rank![t];
      return (desc ? -x : x) || a - b;
    }).slice(0, top);
    const inTop = new Set(order);
    for (let s = 0; s < S; s++) {
      const h = book.holdings.get(symbols[s]);
      if (!h || h.qty === 0 || exiting.has(symbols[s]) || d.busy.has(symbols[s])) continue;
      if (!inTop.has(s)) {
        exit(s, "rotation", `Left the top ${top} by rank at the ${date} close.`);
        held--;
      }
    }
  }
  if (!rebalanceDay) return { intents, skipped };

  const eq = d.equity;
  let room = maxPositions - held;
  let invSum = 0;
  if (r.sizing.method === "inverse_volatility") {
    for (const s of order) {
      const vol = sig[s].vol![t];
      const h = book.holdings.get(symbols[s]);
      const will = (h && h.qty !== 0 && !exiting.has(symbols[s])) ||
        (!h && (ranked || sig[s].entry?.[t] === 1));
      if (will && vol > 0) invSum += 1 / vol;
    }
  }
  const ctx = { slots, invSum };
  const targets = new Targets(r, d.sectors);
  const pct = (x: number) => `${round2(x * 100)} %`;
  const sectorCap = (s: number) =>
    ` (the rules' ${pct(targets.sectorCap)} cap on the ${d.sectors[s] ?? "unknown"} sector)`;
  // What is kept, and what is on the way, holds its sector's weight before anything is sized.
  if (targets.sectorCap !== Infinity && eq > 0) {
    targets.startDay();
    for (let s = 0; s < S; s++) {
      const sym = symbols[s];
      if (exiting.has(sym)) continue;
      const q = (book.holdings.get(sym)?.qty ?? 0) + (d.busy.get(sym) ?? 0);
      const px = lastClose(d.close[s], t);
      if (q !== 0 && px > 0) targets.hold(s, Math.abs(q * px) / eq);
    }
  }

  // Held positions back to their target size: the difference, sales first so their proceeds
  // count toward the buys (the loop fills reductions first too).
  const growing: Intent[] = [];
  if (targets.resizes && eq > 0) {
    for (let s = 0; s < S; s++) {
      const sym = symbols[s];
      const h = book.holdings.get(sym);
      if (!h || h.qty === 0 || exiting.has(sym) || d.busy.has(sym)) continue;
      const px = d.close[s][t];
      const want = targets.resize(sig[s], t, s, h.qty, px, lastClose(d.close[s], t), eq, ctx);
      if (want !== want) continue;
      let delta = want - h.qty;
      let capped = targets.capped === "sector" ? sectorCap(s) : "";
      const limit = d.limits.maxOrderValue;
      if (limit !== null && Math.abs(delta) * px > limit) {
        delta = Math.sign(delta) * Math.floor(limit / px + 1e-9);
        capped = ` (capped at the deployment's ${limit} USD per order)`;
      }
      if (delta === 0) continue;
      const it: Intent = {
        symbol: sym,
        side: delta > 0 ? "buy" : "sell",
        qty: Math.abs(delta),
        kind: "rebalance",
        why: `Rebalanced at the ${date} close: ${h.qty} → ${h.qty + delta} shares at about ` +
          `${px} USD, back to the rules' ${r.sizing.method} target${capped}.`,
      };
      if (Math.abs(want) < Math.abs(h.qty)) {
        if (h.qty > 0) proceeds += it.qty * px;
        intents.push(it);
      } else growing.push(it);
    }
  }

  let cash = book.cash + proceeds;
  for (const it of growing) {
    const s = symbols.indexOf(it.symbol);
    const px = d.close[s][t];
    if (it.side === "buy") {
      const afford = Math.floor(Math.max(0, cash) / px + 1e-9);
      if (afford < it.qty) {
        if (afford <= 0) {
          skipped.push({ symbol: it.symbol, why: "No free cash to rebalance it up." });
          continue;
        }
        it.qty = afford;
        it.why += " Capped at the allocation's free cash.";
      }
      cash -= it.qty * px;
    }
    intents.push(it);
  }

  for (const s of order) {
    const sym = symbols[s];
    const g = sig[s];
    let dir = 0;
    if (ranked || (g.entry !== null && g.entry[t] === 1)) dir = 1;
    else if (longShort && g.shortEntry !== null && g.shortEntry[t] === 1) dir = -1;
    if (!dir) continue;
    const h = book.holdings.get(sym);
    if ((h && h.qty !== 0) || d.busy.has(sym)) continue;
    if (room <= 0) {
      skipped.push({ symbol: sym, why: `No room: ${maxPositions} positions at most.` });
      continue;
    }
    const px = d.close[s][t];
    if (!(px > 0) || !(eq > 0)) {
      skipped.push({ symbol: sym, why: "No close price to size the order with." });
      continue;
    }
    let qty = targets.entry(g, t, s, px, eq, ctx);
    let capped = targets.capped === "sector" ? sectorCap(s) : "";
    const limit = d.limits.maxOrderValue;
    if (limit !== null && qty * px > limit) {
      qty = Math.floor(limit / px + 1e-9);
      capped = ` (capped at the deployment's ${limit} USD per order)`;
    }
    if (dir > 0 && qty * px > cash) {
      qty = Math.floor(Math.max(0, cash) / px + 1e-9);
      capped = " (capped at the allocation's free cash)";
    }
    if (qty <= 0) {
      skipped.push({ symbol: sym, why: `Sized to 0 shares at ${px} USD${capped}.` });
      continue;
    }
    if (dir > 0) cash -= qty * px;
    room--;
    intents.push({
      symbol: sym,
      side: dir > 0 ? "buy" : "sell",
      qty,
      kind: dir > 0 ? "entry" : "short_entry",
      why: `The ${dir > 0 ? "entry" : "short entry"} condition held at the ${date} close; ` +
        `${qty} shares at about ${px} USD by the rules' ${r.sizing.method} sizing${capped}.`,
    });
  }
  return { intents, skipped };
}

/** The last close at or before bar `t`: what the loop marks a held position at. */
function lastClose(close: ArrayLike<number>, t: number): number {
  for (let i = t; i >= 0; i--) if (close[i] === close[i]) return close[i];
  return NaN;
}
