/**
 * The in-memory brokerage behind the fake Alpaca server (`alpaca.ts`): one account, its orders,
 * positions, FILL activities and equity points, shaped as ../shared/api-contracts/alpaca.md says.
 * No HTTP here: operations return wire objects or throw an {@link ApiError} that the server writes
 * out unchanged, so every refusal body lives next to the rule that produces it.
 *
 * Money is rounded to cents at every step (cash, cost, market value) and quantities to 9 decimal
 * places, so float noise never reaches a response; decimals leave as strings (§3.1).
 *
 * @module
 */

import {
  ApiError,
  type Body,
  clientIdField,
  dec,
  decimalField,
  enumField,
  floorQty,
  forbidden,
  INTENTS,
  invalid,
  isoNs,
  money,
  notFound,
  nowNs,
  type OrderType,
  parseTime,
  priceField,
  round2,
  roundQty,
  type Side,
  SIDES,
  type Tif,
  TIFS,
  TYPES,
} from "./alpaca_wire.ts";

export {
  ApiError,
  dec,
  invalid,
  isoNs,
  notFound,
  nowNs,
  parseTime,
  round2,
} from "./alpaca_wire.ts";

// ---- Orders ----------------------------------------------------------------------------------

/** Statuses after which nothing can happen to an order any more (§5.9). */
const TERMINAL = new Set(["filled", "canceled", "expired", "replaced", "rejected"]);
const CLOSED = new Set([...TERMINAL, "done_for_day"]);

export interface OrderRec {
  id: string;
  clientOrderId: string;
  createdNs: bigint;
  updatedNs: bigint;
  submittedNs: bigint;
  filledNs: bigint | null;
  canceledNs: bigint | null;
  replacedNs: bigint | null;
  replacedBy: string | null;
  replaces: string | null;
  symbol: string;
  notional: number | null;
  qty: number | null;
  filledQty: number;
  filledAvg: number | null;
  type: OrderType;
  side: Side;
  intent: string;
  tif: Tif;
  limit: number | null;
  stop: number | null;
  trailPrice: number | null;
  trailPercent: number | null;
  hwm: number | null;
  /** A stop_limit whose stop has been touched now behaves as a limit order. */
  triggered: boolean;
  status: string;
  extendedHours: boolean;
}

const ORDER_KEYS = new Set(
  ("symbol qty notional side type time_in_force limit_price stop_price trail_price trail_percent " +
    "extended_hours client_order_id order_class take_profit stop_loss position_intent legs")
    .split(" "),
);
const REPLACE_KEYS = new Set(
  "qty time_in_force limit_price stop_price trail client_order_id".split(" "),
);

interface OrderSpec {
  symbol: string;
  qty: number | null;
  notional: number | null;
  side: Side;
  type: OrderType;
  tif: Tif;
  limit: number | null;
  stop: number | null;
  trailPrice: number | null;
  trailPercent: number | null;
  extendedHours: boolean;
  clientOrderId: string | null;
  intent: string | null;
}

/** The §5.2 validation matrix; every failure is a 422 with code 40010001. */
export function validateOrder(body: unknown): OrderSpec {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new ApiError(400, { code: 40010000, message: "request body format is invalid" });
  }
  const b = body as Body;
  for (const k of Object.keys(b)) if (!ORDER_KEYS.has(k)) throw invalid(`unknown field "${k}"`);
  const orderClass = b.order_class ?? "";
  if (orderClass !== "" && orderClass !== "simple") {
    if (["bracket", "oco", "oto", "mleg"].includes(String(orderClass))) {
      throw invalid(`order_class "${orderClass}" is not supported by the fake Alpaca server`);
    }
    throw invalid(`invalid order_class: ${JSON.stringify(orderClass)}`);
  }
  for (const k of ["take_profit", "stop_loss", "legs"]) {
    if (b[k] !== undefined && b[k] !== null) {
      throw invalid(`${k} is only valid for advanced orders`);
    }
  }
  if (typeof b.symbol !== "string" || !b.symbol.trim()) throw invalid("symbol is required");
  const side = enumField(b, "side", SIDES);
  const type = enumField(b, "type", TYPES);
  const tif = enumField(b, "time_in_force", TIFS);
  const qty = decimalField(b, "qty", 9);
  const notional = decimalField(b, "notional", 2);
  if (qty !== null && notional !== null) throw invalid("only one of qty or notional may be given");
  if (qty === null && notional === null) throw invalid("qty or notional is required");
  const marketDay = type === "market" && tif === "day";
  if (notional !== null && !marketDay) {
    throw invalid("notional orders must be market orders with time_in_force day");
  }
  if (qty !== null && !Number.isInteger(qty) && !marketDay) {
    throw invalid("fractional orders must be market orders with time_in_force day");
  }
  const limit = priceField(b, "limit_price");
  const stop = priceField(b, "stop_price");
  const trailPrice = priceField(b, "trail_price");
  const trailPercent = decimalField(b, "trail_percent", 9);
  const needsLimit = type === "limit" || type === "stop_limit";
  const needsStop = type === "stop" || type === "stop_limit";
  if (needsLimit && limit === null) throw invalid(`limit_price is required for ${type} orders`);
  if (!needsLimit && limit !== null) throw invalid(`limit_price is not allowed for ${type} orders`);
  if (needsStop && stop === null) throw invalid(`stop_price is required for ${type} orders`);
  if (!needsStop && stop !== null) throw invalid(`stop_price is not allowed for ${type} orders`);
  if (type === "trailing_stop") {
    if ((trailPrice === null) === (trailPercent === null)) {
      throw invalid("exactly one of trail_price or trail_percent is required");
    }
    if (tif !== "day" && tif !== "gtc") {
      throw invalid("trailing_stop orders must have time_in_force day or gtc");
    }
    if (trailPercent !== null && trailPercent >= 100) throw invalid("trail_percent must be < 100");
  } else if (trailPrice !== null || trailPercent !== null) {
    throw invalid(`trail_price and trail_percent are not allowed for ${type} orders`);
  }
  if (b.extended_hours !== undefined && b.extended_hours !== null) {
    if (typeof b.extended_hours !== "boolean") throw invalid("invalid extended_hours");
  }
  const extendedHours = b.extended_hours === true;
  if (extendedHours && !(type === "limit" && tif === "day")) {
    throw invalid("extended hours orders must be limit orders with time_in_force day");
  }
  let intent: string | null = null;
  if (b.position_intent !== undefined && b.position_intent !== null) {
    intent = enumField(b, "position_intent", INTENTS);
  }
  return {
    symbol: b.symbol.trim(),
    qty,
    notional,
    side,
    type,
    tif,
    limit,
    stop,
    trailPrice,
    trailPercent,
    extendedHours,
    clientOrderId: clientIdField(b),
    intent,
  };
}

/** The §5.1 Order object: every field present, decimals as strings, `order_class: ""`. */
export function orderJson(o: OrderRec): Record<string, unknown> {
  const ts = (ns: bigint | null) => (ns === null ? null : isoNs(ns));
  const opt = (n: number | null, dp = 9) => (n === null ? null : dec(n, dp));
  return {
    id: o.id,
    client_order_id: o.clientOrderId,
    created_at: ts(o.createdNs),
    updated_at: ts(o.updatedNs),
    submitted_at: ts(o.submittedNs),
    filled_at: ts(o.filledNs),
    expired_at: null,
    canceled_at: ts(o.canceledNs),
    failed_at: null,
    replaced_at: ts(o.replacedNs),
    replaced_by: o.replacedBy,
    replaces: o.replaces,
    asset_id: assetId(o.symbol),
    symbol: o.symbol,
    asset_class: "us_equity",
    notional: opt(o.notional, 2),
    qty: opt(o.qty),
    filled_qty: dec(o.filledQty),
    filled_avg_price: opt(o.filledAvg),
    order_class: "",
    order_type: o.type,
    type: o.type,
    side: o.side,
    position_intent: o.intent,
    time_in_force: o.tif,
    limit_price: opt(o.limit),
    stop_price: opt(o.stop),
    status: o.status,
    extended_hours: o.extendedHours,
    legs: null,
    trail_percent: opt(o.trailPercent),
    trail_price: opt(o.trailPrice),
    hwm: opt(o.hwm),
    subtag: null,
    source: null,
  };
}

// ---- Assets ----------------------------------------------------------------------------------

const EXCHANGES: Record<string, string> = { SPY: "ARCA", DIA: "ARCA", IWM: "ARCA", IBM: "NYSE" };
const assetIds = new Map<string, string>();

/** A stable asset id per symbol for the life of the test process. */
export function assetId(symbol: string): string {
  let id = assetIds.get(symbol);
  if (!id) assetIds.set(symbol, id = crypto.randomUUID());
  return id;
}

export function assetJson(symbol: string) {
  return {
    id: assetId(symbol),
    class: "us_equity",
    exchange: EXCHANGES[symbol] ?? "NASDAQ",
    symbol,
    name: `${symbol} (fake asset)`,
    status: "active",
    tradable: true,
    marginable: true,
    shortable: true,
    easy_to_borrow: true,
    fractionable: true,
    maintenance_margin_requirement: 30,
    margin_requirement_long: "30",
    margin_requirement_short: "30",
    attributes: [],
  };
}

// ---- The account -----------------------------------------------------------------------------

export type FillMode = "immediate" | "accepted";

export interface BrokerOptions {
  cash: number;
  lastEquity: number;
  shortingEnabled: boolean;
  /** Full bid/ask spread around each price; buys pay price + spread/2, sells get price − spread/2. */
  spread: number;
  prices: Record<string, number>;
  fillMode: FillMode;
}

interface Position {
  qty: number;
  avg: number;
}

interface Activity {
  id: string;
  ms: number;
  json: Record<string, unknown>;
}

const ACTIVITY_TYPES = new Set(
  ("FILL TRANS MISC ACATC ACATS CFEE CSD CSW DIV DIVCGL DIVCGS DIVFEE DIVFT DIVNRA DIVROC DIVTW " +
    "DIVTXEX FEE INT INTNRA INTTW JNL JNLC JNLS MA NC OPASN OPCA OPCSH OPEXC OPEXP OPTRD PTC PTR " +
    "REORG SPIN SPLIT").split(" "),
);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class Broker {
  readonly id = crypto.randomUUID();
  readonly accountNumber = `PA${
    crypto.randomUUID().replaceAll("-", "").slice(0, 10).toUpperCase()
  }`;
  readonly createdNs = nowNs();
  cash: number;
  marketOpen = true;
  fillMode: FillMode;
  readonly orders: OrderRec[] = [];
  readonly #byId = new Map<string, OrderRec>();
  /** Every client_order_id ever used, kept forever (§5.7). */
  readonly #clientIds = new Map<string, OrderRec>();
  readonly #prices = new Map<string, { price: number; lastday: number }>();
  readonly #positions = new Map<string, Position>();
  readonly #activities: Activity[] = [];
  readonly equityPoints: { ms: number; equity: number }[] = [];
  #lastActivityMs = 0;

  constructor(readonly opts: BrokerOptions) {
    this.cash = round2(opts.cash);
    this.fillMode = opts.fillMode;
    for (const [s, p] of Object.entries(opts.prices)) this.setPrice(s, p);
    this.equityPoints.push({ ms: Date.now(), equity: this.cash });
  }

  // -- prices --

  knows(symbol: string): boolean {
    return this.#prices.has(symbol);
  }

  symbols(): string[] {
    return [...this.#prices.keys()];
  }

  /**
   * Sets a symbol's price (adding the symbol if new) and fills resting orders it crosses.
   * `lastday` (yesterday's close) defaults to the first price the symbol had.
   */
  setPrice(symbol: string, price: number, lastday?: number): void {
    for (const p of [price, lastday ?? 1]) {
      if (!(p > 0) || !Number.isFinite(p)) throw new Error(`fake Alpaca: bad price ${p}`);
    }
    const q = this.#prices.get(symbol);
    this.#prices.set(symbol, { price, lastday: lastday ?? q?.lastday ?? price });
    for (const o of this.orders) {
      if (o.symbol === symbol && (o.status === "new" || o.status === "partially_filled")) {
        this.#evaluate(o);
      }
    }
  }

  #price(symbol: string) {
    const q = this.#prices.get(symbol);
    if (!q) throw invalid(`asset "${symbol}" not found`);
    return q;
  }

  /** What the side trades at now: the ask for a buy, the bid for a sell. */
  quote(symbol: string, side: Side): number {
    return this.#execPrice(symbol, side);
  }

  #execPrice(symbol: string, side: Side): number {
    const { price } = this.#price(symbol);
    const half = this.opts.spread / 2;
    return Math.round((side === "buy" ? price + half : price - half) * 1e4) / 1e4;
  }

  // -- account --

  #marketValues() {
    let long = 0, short = 0;
    for (const [s, p] of this.#positions) {
      const mv = round2(p.qty * this.#price(s).price);
      if (p.qty > 0) long += mv;
      else short += mv;
    }
    return { long: round2(long), short: round2(short) };
  }

  equity(): number {
    const mv = this.#marketValues();
    return round2(this.cash + mv.long + mv.short);
  }

  /** Cash less what open buy orders may cost: no margin, multiplier 1. */
  buyingPower(): number {
    let reserved = 0;
    for (const o of this.orders) {
      if (o.side === "buy" && !CLOSED.has(o.status)) reserved += this.#cost(o);
    }
    return Math.max(0, round2(this.cash - reserved));
  }

  #cost(
    o: Pick<OrderRec, "symbol" | "qty" | "notional" | "filledQty" | "type" | "limit" | "stop">,
  ) {
    if (o.notional !== null) return o.filledQty > 0 ? 0 : o.notional;
    const px = o.limit ?? o.stop ?? this.#execPrice(o.symbol, "buy");
    return round2(((o.qty ?? 0) - o.filledQty) * px);
  }

  accountJson(): Record<string, unknown> {
    const mv = this.#marketValues();
    const equity = this.equity();
    const bp = money(this.buyingPower());
    const gross = mv.long - mv.short;
    return {
      id: this.id,
      account_number: this.accountNumber,
      status: "ACTIVE",
      crypto_status: "ACTIVE",
      currency: "USD",
      cash: money(this.cash),
      portfolio_value: money(equity),
      equity: money(equity),
      last_equity: money(this.opts.lastEquity),
      long_market_value: money(mv.long),
      short_market_value: money(mv.short),
      buying_power: bp,
      regt_buying_power: bp,
      daytrading_buying_power: "0",
      non_marginable_buying_power: bp,
      options_buying_power: bp,
      initial_margin: money(gross),
      maintenance_margin: money(gross * 0.3),
      last_maintenance_margin: "0",
      sma: money(this.cash),
      multiplier: "1",
      daytrade_count: 0,
      pattern_day_trader: false,
      shorting_enabled: this.opts.shortingEnabled,
      trading_blocked: false,
      transfers_blocked: false,
      account_blocked: false,
      trade_suspended_by_user: false,
      accrued_fees: "0",
      pending_transfer_in: "0",
      pending_transfer_out: "0",
      created_at: isoNs(this.createdNs),
      options_approved_level: 0,
      options_trading_level: 0,
    };
  }

  // -- positions --

  /** Quantity tied up by open orders on the side that would reduce the position. */
  #held(symbol: string, side: Side): { qty: number; ids: string[] } {
    let qty = 0;
    const ids: string[] = [];
    for (const o of this.orders) {
      if (o.symbol !== symbol || o.side !== side || CLOSED.has(o.status)) continue;
      qty += o.qty !== null
        ? o.qty - o.filledQty
        : o.filledQty > 0
        ? 0
        : (o.notional ?? 0) / this.#execPrice(symbol, side);
      ids.push(o.id);
    }
    return { qty: roundQty(qty), ids };
  }

  #findPosition(symbolOrId: string): [string, Position] {
    for (const [s, p] of this.#positions) {
      if (s === symbolOrId || assetId(s) === symbolOrId) return [s, p];
    }
    throw notFound("position does not exist");
  }

  positionJson(symbolOrId: string): Record<string, unknown> {
    const [symbol, p] = this.#findPosition(symbolOrId);
    const { price, lastday } = this.#price(symbol);
    const mv = round2(p.qty * price);
    const cost = round2(p.qty * p.avg);
    const pl = round2(mv - cost);
    const dayPl = round2(p.qty * (price - lastday));
    const long = p.qty > 0;
    const held = this.#held(symbol, long ? "sell" : "buy").qty;
    return {
      asset_id: assetId(symbol),
      symbol,
      exchange: EXCHANGES[symbol] ?? "NASDAQ",
      asset_class: "us_equity",
      asset_marginable: true,
      qty: dec(p.qty),
      qty_available: dec(roundQty(long ? p.qty - held : p.qty + held)),
      avg_entry_price: dec(p.avg),
      side: long ? "long" : "short",
      market_value: money(mv),
      cost_basis: money(cost),
      unrealized_pl: money(pl),
      unrealized_plpc: dec(cost === 0 ? 0 : pl / Math.abs(cost), 7),
      unrealized_intraday_pl: money(dayPl),
      unrealized_intraday_plpc: dec(dayPl / Math.abs(p.qty * lastday), 7),
      current_price: dec(price),
      lastday_price: dec(lastday),
      change_today: dec(price / lastday - 1, 7),
    };
  }

  positionsJson(): Record<string, unknown>[] {
    return [...this.#positions.keys()].sort().map((s) => this.positionJson(s));
  }

  // -- orders --

  order(id: string): OrderRec {
    if (!UUID.test(id)) throw invalid("order_id is missing");
    const o = this.#byId.get(id);
    if (!o) throw notFound("order not found");
    return o;
  }

  orderByClientId(clientOrderId: string): OrderRec {
    const o = this.#clientIds.get(clientOrderId);
    if (!o) throw notFound(`order not found for ${clientOrderId}`);
    return o;
  }

  /** `POST /v2/orders`: validate, check the account can afford it, store it, maybe fill it. */
  placeOrder(body: unknown): OrderRec {
    const spec = validateOrder(body);
    this.#price(spec.symbol);
    if (spec.clientOrderId !== null && this.#clientIds.has(spec.clientOrderId)) {
      throw invalid("client_order_id must be unique");
    }
    return this.#submit(spec);
  }

  #submit(spec: OrderSpec, replaces: OrderRec | null = null): OrderRec {
    const pos = this.#positions.get(spec.symbol)?.qty ?? 0;
    const qty = spec.qty ?? (spec.notional ?? 0) / this.#execPrice(spec.symbol, spec.side);
    if (spec.side === "sell") this.#checkReduce(spec.symbol, "sell", qty, pos, replaces);
    if (spec.side === "buy" && pos < 0) this.#checkReduce(spec.symbol, "buy", qty, pos, replaces);
    if (spec.side === "buy") {
      const cost = this.#cost({ ...spec, filledQty: 0 });
      const bp = round2(this.buyingPower() + (replaces ? this.#cost(replaces) : 0));
      if (cost > bp) {
        throw forbidden("insufficient buying power", {
          buying_power: money(bp),
          cost_basis: money(cost),
        });
      }
    }
    const ns = nowNs();
    const o: OrderRec = {
      id: crypto.randomUUID(),
      clientOrderId: spec.clientOrderId ?? crypto.randomUUID(),
      createdNs: ns,
      updatedNs: ns,
      submittedNs: ns,
      filledNs: null,
      canceledNs: null,
      replacedNs: null,
      replacedBy: null,
      replaces: replaces?.id ?? null,
      symbol: spec.symbol,
      notional: spec.notional,
      qty: spec.qty,
      filledQty: 0,
      filledAvg: null,
      type: spec.type,
      side: spec.side,
      intent: spec.intent ??
        (spec.side === "buy"
          ? (pos < 0 ? "buy_to_close" : "buy_to_open")
          : (pos > 0 ? "sell_to_close" : "sell_to_open")),
      tif: spec.tif,
      limit: spec.limit,
      stop: spec.stop,
      trailPrice: spec.trailPrice,
      trailPercent: spec.trailPercent,
      hwm: null,
      triggered: false,
      status: "accepted",
      extendedHours: spec.extendedHours,
    };
    if (replaces) {
      replaces.status = "replaced";
      replaces.replacedBy = o.id;
      replaces.replacedNs = replaces.updatedNs = ns;
    }
    this.orders.push(o);
    this.#byId.set(o.id, o);
    this.#clientIds.set(o.clientOrderId, o);
    if (this.fillMode === "immediate" && (this.marketOpen || o.extendedHours)) this.process(o);
    return o;
  }

  /**
   * A sell may only close what is held (and not already promised to other orders) unless it opens
   * a short from flat with shorting enabled; never flips long → short (§5.2 errors). Buys against
   * a short are held to the same rule.
   */
  #checkReduce(symbol: string, side: Side, qty: number, pos: number, replacing: OrderRec | null) {
    const held = this.#held(symbol, side);
    const heldQty = roundQty(
      held.qty - (replacing && replacing.qty !== null ? replacing.qty - replacing.filledQty : 0),
    );
    const existing = Math.abs(pos);
    const reducing = side === "sell" ? pos > 0 : pos < 0;
    if (!reducing && side === "sell" && this.opts.shortingEnabled) return;
    const available = Math.max(0, roundQty(existing - heldQty));
    if (roundQty(qty) <= available) return;
    throw forbidden(
      `insufficient qty available for order (requested: ${dec(qty)}, available: ${dec(available)})`,
      {
        symbol,
        available: dec(available),
        existing_qty: dec(existing),
        held_for_orders: dec(heldQty),
        related_orders: held.ids,
      },
    );
  }

  /** The broker takes an `accepted` order: market orders fill, others rest (or fill if crossed). */
  process(o: OrderRec): void {
    if (o.status !== "accepted") return;
    o.status = "new";
    o.updatedNs = nowNs();
    if (o.type === "market") this.fill(o, this.#remaining(o), this.#execPrice(o.symbol, o.side));
    else this.#evaluate(o);
    if ((o.tif === "ioc" || o.tif === "fok") && !CLOSED.has(o.status)) this.#cancel(o);
  }

  /** Test control: fills an open order now, all that remains unless `qty`, at `price` or market. */
  forceFill(id: string, qty?: number, price?: number): OrderRec {
    const o = this.order(id);
    if (TERMINAL.has(o.status)) throw new Error(`fake Alpaca: order ${id} is ${o.status}`);
    const px = price ?? this.#execPrice(o.symbol, o.side);
    const remaining = o.qty === null ? (o.notional ?? 0) / px : this.#remaining(o);
    if (qty !== undefined && (o.qty === null || !(qty > 0) || qty > remaining)) {
      throw new Error(`fake Alpaca: cannot fill ${qty} of order ${id} (${remaining} left)`);
    }
    if (o.status === "accepted") o.status = "new";
    this.fill(o, qty ?? remaining, px);
    return o;
  }

  #remaining(o: OrderRec): number {
    if (o.qty !== null) return roundQty(o.qty - o.filledQty);
    return o.filledQty > 0 ? 0 : roundQty((o.notional ?? 0) / this.#execPrice(o.symbol, o.side));
  }

  /** Fills a resting order if the current price crosses its limit, stop or trailing stop. */
  #evaluate(o: OrderRec): void {
    const px = this.#execPrice(o.symbol, o.side);
    const buy = o.side === "buy";
    const limitOk = o.limit !== null && (buy ? px <= o.limit : px >= o.limit);
    const stopHit = o.stop !== null && (buy ? px >= o.stop : px <= o.stop);
    let fill = false;
    switch (o.type) {
      case "market":
        return;
      case "limit":
        fill = limitOk;
        break;
      case "stop":
        fill = stopHit;
        break;
      case "stop_limit":
        if (stopHit) o.triggered = true;
        fill = o.triggered && limitOk;
        break;
      case "trailing_stop": {
        // Buys trail the low, sells the high; both are reported as `hwm`.
        o.hwm = o.hwm === null ? px : buy ? Math.min(o.hwm, px) : Math.max(o.hwm, px);
        const offset = o.trailPrice ?? o.hwm * (o.trailPercent ?? 0) / 100;
        o.stop = round2(buy ? o.hwm + offset : o.hwm - offset);
        fill = buy ? px >= o.stop : px <= o.stop;
        break;
      }
    }
    if (fill) this.fill(o, this.#remaining(o), px);
  }

  /** Executes `qty` of an open order at `price`: cash, position, FILL activity, equity point. */
  fill(o: OrderRec, qty: number, price: number): void {
    qty = roundQty(qty);
    if (qty <= 0) return;
    const cost = round2(qty * price);
    this.cash = round2(this.cash + (o.side === "buy" ? -cost : cost));
    this.#move(o.symbol, o.side === "buy" ? qty : -qty, price);
    const before = o.filledQty;
    o.filledQty = roundQty(before + qty);
    o.filledAvg = ((o.filledAvg ?? 0) * before + price * qty) / o.filledQty;
    const done = o.qty === null || o.filledQty >= o.qty;
    const ns = nowNs();
    o.status = done ? "filled" : "partially_filled";
    o.updatedNs = ns;
    if (done) o.filledNs = ns;
    this.#recordFill(o, qty, price);
    this.equityPoints.push({ ms: Date.now(), equity: this.equity() });
  }

  #move(symbol: string, dq: number, price: number): void {
    const p = this.#positions.get(symbol) ?? { qty: 0, avg: 0 };
    if (p.qty === 0 || Math.sign(p.qty) === Math.sign(dq)) {
      p.avg = (Math.abs(p.qty) * p.avg + Math.abs(dq) * price) / (Math.abs(p.qty) + Math.abs(dq));
    } else if (Math.abs(dq) > Math.abs(p.qty)) {
      p.avg = price; // flipped through zero: what remains was opened at this price
    }
    p.qty = roundQty(p.qty + dq);
    if (p.qty === 0) this.#positions.delete(symbol);
    else this.#positions.set(symbol, p);
  }

  #recordFill(o: OrderRec, qty: number, price: number): void {
    // Activity ids start with a 17-digit UTC timestamp; keep them strictly increasing so the
    // page_token cursor (the last id seen) orders the same way the list does.
    const ms = this.#lastActivityMs = Math.max(Date.now(), this.#lastActivityMs + 1);
    const iso = new Date(ms).toISOString();
    const id = `${iso.replace(/[-:.TZ]/g, "")}::${crypto.randomUUID()}`;
    this.#activities.push({
      id,
      ms,
      json: {
        id,
        activity_type: "FILL",
        transaction_time: iso,
        type: o.status === "filled" ? "fill" : "partial_fill",
        price: dec(price),
        qty: dec(qty),
        side: o.side,
        symbol: o.symbol,
        leaves_qty: dec(o.qty === null ? 0 : roundQty(o.qty - o.filledQty)),
        order_id: o.id,
        cum_qty: dec(o.filledQty),
        order_status: o.status,
      },
    });
  }

  /** `GET /v2/orders` (§5.3). */
  listOrders(q: URLSearchParams): OrderRec[] {
    const status = q.get("status") ?? "open";
    if (!["open", "closed", "all"].includes(status)) throw invalid("invalid status");
    const limit = intParam(q, "limit", 50, 1, 500);
    const direction = directionParam(q);
    const after = timeParam(q, "after");
    const until = timeParam(q, "until");
    const symbols = q.get("symbols")?.split(",").map((s) => s.trim()).filter(Boolean);
    const side = q.get("side");
    if (side !== null && side !== "buy" && side !== "sell") throw invalid("invalid side");
    const rows = this.orders.filter((o) =>
      (status === "all" || (status === "closed") === CLOSED.has(o.status)) &&
      (after === null || o.submittedNs > after) &&
      (until === null || o.submittedNs < until) &&
      (!symbols?.length || symbols.includes(o.symbol)) &&
      (side === null || o.side === side)
    );
    rows.sort((a, b) => (a.submittedNs < b.submittedNs ? -1 : 1));
    if (direction === "desc") rows.reverse();
    return rows.slice(0, limit);
  }

  /** `PATCH /v2/orders/{id}` (§5.6): a new order replaces the old one. */
  replaceOrder(id: string, body: unknown): OrderRec {
    const old = this.order(id);
    if (!["new", "partially_filled", "held"].includes(old.status)) {
      throw invalid(`order is not replaceable in "${old.status}" state`);
    }
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      throw new ApiError(400, { code: 40010000, message: "request body format is invalid" });
    }
    const b = body as Body;
    for (const k of Object.keys(b)) if (!REPLACE_KEYS.has(k)) throw invalid(`unknown field "${k}"`);
    const qty = decimalField(b, "qty", 0);
    const limit = priceField(b, "limit_price");
    const stop = priceField(b, "stop_price");
    const trail = decimalField(b, "trail", 9);
    const tif = b.time_in_force == null ? null : enumField(b, "time_in_force", TIFS);
    const clientOrderId = clientIdField(b);
    if (qty !== null && old.qty === null) {
      throw invalid("qty cannot be replaced on notional orders");
    }
    if (qty !== null && !Number.isInteger(old.qty)) {
      throw invalid("qty cannot be replaced on fractional orders");
    }
    if (limit !== null && old.limit === null) throw invalid("limit_price is not replaceable here");
    if (stop !== null && (old.type === "trailing_stop" || old.stop === null)) {
      throw invalid("stop_price is not replaceable here");
    }
    if (trail !== null && old.type !== "trailing_stop") {
      throw invalid("trail is only for trailing_stop");
    }
    const changed = (qty !== null && qty !== old.qty) || (tif !== null && tif !== old.tif) ||
      (limit !== null && limit !== old.limit) || (stop !== null && stop !== old.stop) ||
      (trail !== null && trail !== (old.trailPrice ?? old.trailPercent));
    if (!changed) throw invalid("no changes to replace the order with");
    if (clientOrderId !== null && this.#clientIds.has(clientOrderId)) {
      throw invalid("client_order_id must be unique");
    }
    return this.#submit({
      symbol: old.symbol,
      qty: qty ?? (old.qty === null ? null : roundQty(old.qty - old.filledQty)),
      notional: old.notional,
      side: old.side,
      type: old.type,
      tif: tif ?? old.tif,
      limit: limit ?? old.limit,
      stop: old.type === "trailing_stop" ? null : stop ?? old.stop,
      trailPrice: old.trailPrice === null ? null : trail ?? old.trailPrice,
      trailPercent: old.trailPercent === null ? null : trail ?? old.trailPercent,
      extendedHours: old.extendedHours,
      clientOrderId,
      intent: old.intent,
    }, old);
  }

  /** `DELETE /v2/orders/{id}` (§5.10); the fake skips `pending_cancel`. */
  cancelOrder(id: string): void {
    const o = this.order(id);
    if (TERMINAL.has(o.status)) throw invalid(`order is already in "${o.status}" state`);
    this.#cancel(o);
  }

  #cancel(o: OrderRec): void {
    o.status = "canceled";
    o.canceledNs = o.updatedNs = nowNs();
  }

  /** `DELETE /v2/orders` (§5.11). */
  cancelAll(): { id: string; status: number }[] {
    return this.orders.filter((o) => !CLOSED.has(o.status)).map((o) => {
      this.#cancel(o);
      return { id: o.id, status: 200 };
    });
  }

  /** `DELETE /v2/positions/{symbol}` (§6.2): a market order that closes all or part of it. */
  closePosition(symbolOrId: string, q: URLSearchParams): OrderRec {
    const [symbol, p] = this.#findPosition(symbolOrId);
    const qtyParam = q.get("qty");
    const pctParam = q.get("percentage");
    if (qtyParam !== null && pctParam !== null) {
      throw invalid("only one of qty or percentage may be given");
    }
    let qty = Math.abs(p.qty);
    if (qtyParam !== null) {
      qty = decimalField({ qty: qtyParam }, "qty", 9)!;
      if (qty > Math.abs(p.qty)) {
        throw forbidden(
          `insufficient qty available for order (requested: ${qtyParam}, available: ${
            dec(Math.abs(p.qty))
          })`,
          { symbol, available: dec(Math.abs(p.qty)), existing_qty: dec(Math.abs(p.qty)) },
        );
      }
    } else if (pctParam !== null) {
      const pct = decimalField({ percentage: pctParam }, "percentage", 9)!;
      if (pct > 100) throw invalid("percentage must be between 0 and 100");
      qty = floorQty(Math.abs(p.qty) * pct / 100);
      if (qty <= 0) throw invalid("percentage gives a zero quantity");
    }
    return this.#submit({
      symbol,
      qty,
      notional: null,
      side: p.qty > 0 ? "sell" : "buy",
      type: "market",
      tif: "day",
      limit: null,
      stop: null,
      trailPrice: null,
      trailPercent: null,
      extendedHours: false,
      clientOrderId: null,
      intent: p.qty > 0 ? "sell_to_close" : "buy_to_close",
    });
  }

  /** `DELETE /v2/positions` (§6.2): per-symbol results with integer statuses. */
  closeAll(q: URLSearchParams): Record<string, unknown>[] {
    if (q.get("cancel_orders") === "true") this.cancelAll();
    return [...this.#positions.keys()].sort().map((symbol) => {
      try {
        return {
          symbol,
          status: 200,
          body: orderJson(this.closePosition(symbol, new URLSearchParams())),
        };
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        return { symbol, status: e.status, body: { ...e.body, symbol } };
      }
    });
  }

  // -- activities and history --

  /** `GET /v2/account/activities[/{type}]` (§7): FILL activities, cursor-paged by id. */
  activities(type: string | null, q: URLSearchParams): Record<string, unknown>[] {
    let types: string[] | null = type === null ? null : [type];
    const listed = q.get("activity_types");
    const category = q.get("category");
    if (listed !== null && category !== null) {
      throw invalid("activity_types and category cannot be combined");
    }
    if (listed !== null) types = listed.split(",").map((s) => s.trim()).filter(Boolean);
    for (const t of types ?? []) {
      if (!ACTIVITY_TYPES.has(t)) throw invalid(`invalid activity type ${t}`);
    }
    if (category !== null && category !== "trade_activity" && category !== "non_trade_activity") {
      throw invalid("invalid category");
    }
    const date = q.get("date");
    if (date !== null && (q.has("after") || q.has("until"))) {
      throw invalid("date cannot be combined with after or until");
    }
    const day = date === null ? null : parseTime(date);
    if (date !== null && day === null) throw invalid("invalid date");
    const after = timeParam(q, "after");
    const until = timeParam(q, "until");
    const direction = directionParam(q);
    const pageSize = intParam(
      q,
      "page_size",
      date === null ? 100 : Infinity,
      1,
      date === null ? 100 : Infinity,
    );
    const token = q.get("page_token");
    const wantsFills = (types === null || types.includes("FILL")) &&
      category !== "non_trade_activity";
    const dayStart = day === null ? 0 : Number(day / 1_000_000n);
    const rows = (wantsFills ? this.#activities : []).filter((a) => {
      const ns = BigInt(a.ms) * 1_000_000n;
      return (after === null || ns > after) && (until === null || ns < until) &&
        (day === null || (a.ms >= dayStart && a.ms < dayStart + 86_400_000)) &&
        (token === null || (direction === "desc" ? a.id < token : a.id > token));
    });
    if (direction === "desc") rows.reverse();
    return rows.slice(0, pageSize).map((a) => a.json);
  }

  /** `GET /v2/account/portfolio/history` (§8), from the equity recorded at start and per fill. */
  portfolioHistory(q: URLSearchParams): Record<string, unknown> {
    const period = q.get("period") ?? "1M";
    const m = /^(\d+)([DWMA])$/.exec(period);
    if (!m || Number(m[1]) <= 0) throw invalid(`invalid period ${period}`);
    const days = Number(m[1]) * { D: 1, W: 7, M: 30, A: 365 }[m[2] as "D"];
    const frames: Record<string, number> = {
      "1Min": 60,
      "5Min": 300,
      "15Min": 900,
      "1H": 3600,
      "1D": 86400,
    };
    const timeframe = q.get("timeframe") ?? (days < 7 ? "1Min" : days < 30 ? "15Min" : "1D");
    const step = frames[timeframe];
    if (!step) throw invalid(`invalid timeframe ${timeframe}`);
    if (step < 86400 && days > 30) throw invalid("intraday timeframes are limited to 30 days");
    const endNs = timeParam(q, "end");
    const startNs = timeParam(q, "start");
    const end = endNs === null ? Date.now() : Number(endNs / 1_000_000n);
    const start = startNs === null ? end - days * 86_400_000 : Number(startNs / 1_000_000n);
    const points = [...this.equityPoints, { ms: Date.now(), equity: this.equity() }]
      .filter((p) => p.ms >= start && p.ms <= end);
    // Last value in each timeframe window, labelled with the window's start (epoch seconds).
    const buckets = new Map<number, number>();
    for (const p of points) buckets.set(Math.floor(p.ms / 1000 / step) * step, p.equity);
    const base = this.opts.lastEquity;
    const stamps = [...buckets.keys()].sort((a, b) => a - b);
    const equity = stamps.map((t) => round2(buckets.get(t)!));
    return {
      timestamp: stamps,
      equity,
      profit_loss: equity.map((e) => round2(e - base)),
      profit_loss_pct: equity.map((
        e,
      ) => (base === 0 ? null : Math.round((e / base - 1) * 1e8) / 1e8)),
      base_value: base,
      base_value_asof: new Date(Date.now() - 86_400_000).toISOString().slice(0, 10),
      timeframe,
      cashflow: {},
    };
  }
}

function intParam(q: URLSearchParams, key: string, dflt: number, min: number, max: number) {
  const raw = q.get(key);
  if (raw === null) return dflt;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < min || n > max) throw invalid(`invalid ${key}`);
  return n;
}

function directionParam(q: URLSearchParams): "asc" | "desc" {
  const d = q.get("direction") ?? "desc";
  if (d !== "asc" && d !== "desc") throw invalid("invalid direction");
  return d;
}

function timeParam(q: URLSearchParams, key: string): bigint | null {
  const raw = q.get(key);
  if (raw === null) return null;
  const t = parseTime(raw);
  if (t === null) throw invalid(`invalid ${key}`);
  return t;
}
