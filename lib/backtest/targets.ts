/**
 * The whole-share targets a close decides: a new entry's size, and on a rebalance day a held
 * position's new size, after the rules' weight limit and sector cap. One implementation for the
 * backtest loop (engine.ts) and for deployed strategies (lib/deploy/decide.ts), so a deployment
 * proposes on a rebalance day exactly the sizes the loop would trade.
 *
 * A day's sector weights are booked as decisions are made: first what is kept (`hold`), then
 * each resize and entry in the order the caller decides them, each capped by the room its sector
 * has left. A resized position's own weight is free room for its new size, so it is counted once.
 *
 * @module
 */
import type { Rules } from "../strategy/schema.ts";
import type { SymbolSignals } from "./compile.ts";
import { sizedShares, type SizingContext } from "./sizing.ts";

const num = (x: unknown) => x as number; // resolved rules hold numbers only

const NO_SECTORS = new Int32Array(0);
const NO_WEIGHTS = new Float64Array(0);

/** What capped the last size worked out: nothing, the weight limit or the sector cap. */
export type Cap = "" | "weight" | "sector";

export class Targets {
  /** Largest weight of one position, a fraction of equity. */
  readonly maxWeight: number;
  /** Largest weight of one sector, a fraction of equity; Infinity without a cap. */
  readonly sectorCap: number;
  /**
   * Held positions go back to their target on rebalance days: only weight-based sizing has a
   * target weight, and not daily (that would trade every bar).
   */
  readonly resizes: boolean;
  /** A resize happens only when the weight moves by this much (fraction); NaN: any change. */
  readonly drift: number;
  /** What capped the last `entry` or `resize`. */
  capped: Cap = "";
  private readonly sectorOf: Int32Array;
  private readonly weights: Float64Array;

  /** `sectors`: each symbol's sector (the panel's), by symbol index. */
  constructor(private readonly rules: Rules, sectors: readonly (string | null)[]) {
    const c = rules.constraints;
    this.maxWeight = num(c.maxWeightPercent) / 100;
    this.sectorCap = c.sectorCapPercent !== undefined ? num(c.sectorCapPercent) / 100 : Infinity;
    const reb = rules.timing.rebalance;
    const m = rules.sizing.method;
    this.resizes = reb !== "daily" &&
      (m === "equal_weight" || m === "percent_equity" || m === "inverse_volatility");
    this.drift = typeof reb === "object" ? num(reb.driftPercent) / 100 : NaN;
    // Sector weights are booked only under a cap; without one these stay empty, which spares
    // each backtest two array allocations (arena.ts says what one costs).
    if (this.sectorCap === Infinity) {
      this.sectorOf = NO_SECTORS;
      this.weights = NO_WEIGHTS;
      return;
    }
    const names = [...new Set(sectors.map((x) => x ?? ""))];
    this.sectorOf = Int32Array.from(sectors, (x) => names.indexOf(x ?? ""));
    this.weights = new Float64Array(names.length);
  }

  /** A new rebalance day: no sector weight booked yet. */
  startDay(): void {
    if (this.sectorCap !== Infinity) this.weights.fill(0);
  }

  /** Books a kept position's weight (|shares × price| / equity) into its sector. */
  hold(s: number, weight: number): void {
    if (this.sectorCap !== Infinity) this.weights[this.sectorOf[s]] += weight;
  }

  /**
   * Shares (fractional, unsigned) symbol `s` may hold at price `px`: the rules' sizing, capped
   * by the weight limit and by its sector's room, where `own` (s's weight already booked) is
   * room too. -1 without a price or equity.
   */
  private size(
    sig: SymbolSignals,
    t: number,
    s: number,
    px: number,
    eq: number,
    ctx: SizingContext,
    own: number,
  ): number {
    this.capped = "";
    if (!(px > 0) || !(eq > 0)) return -1;
    let q = sizedShares(this.rules, sig, t, px, eq, ctx);
    const byWeight = eq * this.maxWeight / px;
    if (byWeight < q) (q = byWeight, this.capped = "weight");
    if (this.sectorCap !== Infinity) {
      const room = Math.max(0, (this.sectorCap - this.weights[this.sectorOf[s]] + own) * eq / px);
      if (room < q) (q = room, this.capped = "sector");
    }
    return q;
  }

  /**
   * Whole shares (unsigned) of a new entry of `s` at bar `t` priced at `px` (the close), its
   * weight booked into its sector. 0 when nothing can be bought.
   */
  entry(sig: SymbolSignals, t: number, s: number, px: number, eq: number, ctx: SizingContext) {
    const q = this.size(sig, t, s, px, eq, ctx, 0);
    if (q < 0) return 0;
    if (this.sectorCap !== Infinity) this.weights[this.sectorOf[s]] += q * px / eq;
    return Math.floor(q + 1e-9);
  }

  /**
   * The whole shares (signed like `qty`) a held position of `qty` shares goes to on a rebalance
   * day, or NaN when it stays as it is: no target (no price, or sized to 0), the same number of
   * shares, or a weight change under the drift threshold. `px` is the bar's close, `last` the
   * last known close the position is marked at. A resize books the new weight in place of the
   * old one (already booked by `hold`).
   */
  resize(
    sig: SymbolSignals,
    t: number,
    s: number,
    qty: number,
    px: number,
    last: number,
    eq: number,
    ctx: SizingContext,
  ): number {
    const own = Math.abs(qty * last) / eq;
    const q = this.size(sig, t, s, px, eq, ctx, own);
    if (q < 0) return NaN;
    const want = Math.sign(qty) * Math.floor(q + 1e-9);
    if (want === 0 || want === qty) return NaN;
    if (this.drift === this.drift && Math.abs(qty * last / eq - want * last / eq) < this.drift) {
      return NaN;
    }
    if (this.sectorCap !== Infinity) this.weights[this.sectorOf[s]] += q * px / eq - own;
    return want;
  }
}
