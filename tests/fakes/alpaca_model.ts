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
import {
  checkOptionOrder,
  type Contract,
  defaultIntent,
  type Intent,
  intentSide,
  isOpening,
  type LegSpec,
  levelProblem,
  type MlegSpec,
  mlegUnitRequirement,
  MULTIPLIER,
  netPrice,
  occ,
  uncoveredLeg,
  validateMleg,
} from "./alpaca_options.ts";

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
  assetClass: "us_equity" | "us_option";
  /** `""` (simple) or `"mleg"`; an mleg parent's `symbol` is `""` and its `side` is internal. */
  orderClass: "" | "mleg";
  /** mleg parents: one order per contract, filled together. */
  legs: OrderRec[] | null;
  /** mleg legs: contracts per unit of the parent. */
  ratioQty: number | null;
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
  /** mleg orders: the legs, the signed limit and the units. */
  mleg?: MlegSpec;
}

/** The §5.2 validation matrix; every failure is a 422 with code 40010001. */
export function validateOrder(body: unknown): OrderSpec {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new ApiError(400, { code: 40010000, message: "request body format is invalid" });
  }
  const b = body as Body;
  for (const k of Object.keys(b)) if (!ORDER_KEYS.has(k)) throw invalid(`unknown field "${k}"`);
  const orderClass = b.order_class ?? "";
  if (orderClass === "mleg") {
    const mleg = validateMleg(b);
    return {
      symbol: "",
      qty: mleg.qty,
      notional: null,
      // Decided when it is placed: a debit buys, a credit sells.
      side: "buy",
      type: mleg.type,
      tif: "day",
      limit: mleg.limit,
      stop: null,
      trailPrice: null,
      trailPercent: null,
      extendedHours: false,
      clientOrderId: clientIdField(b),
      intent: null,
      mleg,
    };
  }
  if (orderClass !== "" && orderClass !== "simple") {
    if (["bracket", "oco", "oto"].includes(String(orderClass))) {
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
  if (occ(b.symbol.trim())) checkOptionOrder(b, { type, tif, notional, qty });
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

/**
 * The §5.1 Order object: every field present, decimals as strings, `order_class: ""` for simple
 * orders. An mleg parent has `""` for `symbol`, `side` and `asset_id` (§3.5), its signed net
 * limit, and its legs (each with `ratio_qty`) unless a list leaves them out (`nested` false).
 */
export function orderJson(o: OrderRec, nested = true): Record<string, unknown> {
  const ts = (ns: bigint | null) => (ns === null ? null : isoNs(ns));
  const opt = (n: number | null, dp = 9) => (n === null ? null : dec(n, dp));
  const mleg = o.legs !== null;
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
    asset_id: mleg ? "" : assetId(o.symbol),
    symbol: o.symbol,
    asset_class: o.assetClass,
    notional: opt(o.notional, 2),
    qty: opt(o.qty),
    filled_qty: dec(o.filledQty),
    filled_avg_price: opt(o.filledAvg),
    order_class: o.orderClass,
    order_type: o.type,
    type: o.type,
    side: mleg ? "" : o.side,
    position_intent: mleg ? null : o.intent,
    time_in_force: o.tif,
    limit_price: opt(o.limit),
    stop_price: opt(o.stop),
    status: o.status,
    extended_hours: o.extendedHours,
    legs: mleg && nested ? o.legs!.map((l) => orderJson(l)) : null,
    trail_percent: opt(o.trailPercent),
    trail_price: opt(o.trailPrice),
    hwm: opt(o.hwm),
    subtag: null,
    source: null,
    ...(o.ratioQty === null ? {} : { ratio_qty: dec(o.ratioQty) }),
  };
}

/** An option's mid, or the one side it has; null without either. */
function markOf(bid: number | null, ask: number | null): number | null {
  if (bid !== null && ask !== null) return Math.round((bid + ask) / 2 * 1e4) / 1e4;
  return ask ?? bid;
}

/** What an order on `side` may close of a holding: nothing when it is on the same side. */
function closable(side: Side, pos: number): number {
  return (side === "sell" ? pos > 0 : pos < 0) ? pos : 0;
}

/** An mleg order's legs as the option rules read them. */
function legSpecs(o: OrderRec): LegSpec[] {
  return (o.legs ?? []).map((l) => ({
    symbol: l.symbol,
    contract: occ(l.symbol)!,
    ratio: l.ratioQty ?? 1,
    side: l.side,
    intent: l.intent as Intent,
  }));
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
  /** `options_trading_level` (§4): 0 none, 1 covered, 2 + long options, 3 + multi-leg. */
  optionsLevel: number;
}

interface Position {
  qty: number;
  avg: number;
}

interface Activity {
  id: string;
  ms: number;
  type: string;
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
  /** Option contracts the fake knows, with their quote; `lastday` is the first mid seen. */
  readonly #optionQuotes = new Map<
    string,
    { bid: number | null; ask: number | null; lastday: number }
  >();
  optionsLevel: number;
  readonly #positions = new Map<string, Position>();
  readonly #activities: Activity[] = [];
  readonly equityPoints: { ms: number; equity: number }[] = [];
  #lastActivityMs = 0;

  constructor(readonly opts: BrokerOptions) {
    this.cash = round2(opts.cash);
    this.fillMode = opts.fillMode;
    this.optionsLevel = opts.optionsLevel;
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

  /**
   * Sets an option contract's quote (adding the contract if new) and fills resting option orders
   * it crosses, single-leg and multi-leg alike. A side that is null has no market: orders that
   * need it wait (an mleg fills no leg until every leg has its price).
   */
  setOptionQuote(symbol: string, bid: number | null, ask: number | null): void {
    if (!occ(symbol)) throw new Error(`fake Alpaca: ${symbol} is not an OCC option symbol`);
    const bad = (bid !== null && !(bid >= 0 && Number.isFinite(bid))) ||
      (ask !== null && !(ask > 0 && Number.isFinite(ask))) ||
      (bid !== null && ask !== null && ask < bid);
    if (bad) throw new Error(`fake Alpaca: bad option quote ${bid}/${ask}`);
    const lastday = this.#optionQuotes.get(symbol)?.lastday ?? markOf(bid, ask) ?? 0;
    this.#optionQuotes.set(symbol, { bid, ask, lastday });
    for (const o of this.orders) {
      if (o.status !== "new" && o.status !== "partially_filled") continue;
      if (o.symbol === symbol || o.legs?.some((l) => l.symbol === symbol)) this.#evaluate(o);
    }
  }

  /** The mark and yesterday's: an option's mid (or the side it has), a stock's price. */
  #price(symbol: string) {
    const o = this.#optionQuotes.get(symbol);
    if (o) return { price: markOf(o.bid, o.ask) ?? o.lastday, lastday: o.lastday };
    const q = this.#prices.get(symbol);
    if (!q) throw invalid(`asset "${symbol}" not found`);
    return q;
  }

  /** Shares behind one unit of the symbol: 100 for an option contract. */
  #multiplier(symbol: string): number {
    return occ(symbol) ? MULTIPLIER : 1;
  }

  /** What the side trades at now: the ask for a buy, the bid for a sell. */
  quote(symbol: string, side: Side): number {
    return this.#execPrice(symbol, side);
  }

  /** The price an order on `side` would fill at now; null when an option has no such side. */
  #tradePrice(symbol: string, side: Side): number | null {
    const option = this.#optionQuotes.get(symbol);
    if (option) return side === "buy" ? option.ask : option.bid;
    return this.#execPrice(symbol, side);
  }

  /** `#tradePrice` for what orders cost and hold: an option side without a market counts 0. */
  #execPrice(symbol: string, side: Side): number {
    const option = this.#optionQuotes.get(symbol);
    if (option) return (side === "buy" ? option.ask : option.bid) ?? 0;
    const { price } = this.#price(symbol);
    const half = this.opts.spread / 2;
    return Math.round((side === "buy" ? price + half : price - half) * 1e4) / 1e4;
  }

  // -- account --

  #marketValues() {
    let long = 0, short = 0;
    for (const [s, p] of this.#positions) {
      const mv = round2(p.qty * this.#price(s).price * this.#multiplier(s));
      if (p.qty > 0) long += mv;
      else short += mv;
    }
    return { long: round2(long), short: round2(short) };
  }

  equity(): number {
    const mv = this.#marketValues();
    return round2(this.cash + mv.long + mv.short);
  }

  /**
   * Cash less what open buy orders may cost and what option orders and short puts hold (see
   * alpaca_options.ts): no margin, multiplier 1.
   */
  buyingPower(): number {
    let reserved = 0;
    for (const o of this.orders) {
      if (CLOSED.has(o.status)) continue;
      if (o.assetClass === "us_option") reserved += this.#optionHold(o);
      else if (o.side === "buy") reserved += this.#cost(o);
    }
    for (const [symbol, p] of this.#positions) {
      const c = occ(symbol);
      if (c?.type === "put" && p.qty < 0) reserved += -p.qty * c.strike * MULTIPLIER;
    }
    return Math.max(0, round2(this.cash - reserved));
  }

  /** What an open option order holds: its debit, a put's cash security, an mleg's risk. */
  #optionHold(o: OrderRec): number {
    const left = (o.qty ?? 0) - o.filledQty;
    if (o.legs) {
      const legs = legSpecs(o);
      const net = o.limit ?? netPrice(legs, (l) => this.#execPrice(l.symbol, l.side));
      return round2(mlegUnitRequirement(legs, net) * left);
    }
    if (o.intent === "buy_to_open") {
      return round2(left * (o.limit ?? this.#execPrice(o.symbol, "buy")) * MULTIPLIER);
    }
    const c = occ(o.symbol);
    if (o.intent === "sell_to_open" && c?.type === "put") {
      return round2(left * c.strike * MULTIPLIER);
    }
    return 0;
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
      options_approved_level: this.optionsLevel,
      options_trading_level: this.optionsLevel,
    };
  }

  // -- positions --

  /** Quantity tied up by open orders on the side that would reduce the position. */
  #held(symbol: string, side: Side): { qty: number; ids: string[] } {
    let qty = 0;
    const ids: string[] = [];
    for (const o of this.#working()) {
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

  /** Every order that trades a symbol: simple orders, and the legs of mleg orders. */
  *#working(): Iterable<OrderRec> {
    for (const o of this.orders) {
      if (o.legs) yield* o.legs;
      else yield o;
    }
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
    // Option figures are per share; their USD values count 100 shares a contract.
    const m = this.#multiplier(symbol);
    const option = m !== 1;
    const mv = round2(p.qty * price * m);
    const cost = round2(p.qty * p.avg * m);
    const pl = round2(mv - cost);
    const dayPl = round2(p.qty * (price - lastday) * m);
    const long = p.qty > 0;
    const held = this.#held(symbol, long ? "sell" : "buy").qty;
    return {
      asset_id: assetId(symbol),
      symbol,
      exchange: option ? "" : EXCHANGES[symbol] ?? "NASDAQ",
      asset_class: option ? "us_option" : "us_equity",
      asset_marginable: !option,
      qty: dec(p.qty),
      qty_available: dec(roundQty(long ? p.qty - held : p.qty + held)),
      avg_entry_price: dec(p.avg),
      side: long ? "long" : "short",
      market_value: money(mv),
      cost_basis: money(cost),
      unrealized_pl: money(pl),
      unrealized_plpc: dec(cost === 0 ? 0 : pl / Math.abs(cost), 7),
      unrealized_intraday_pl: money(dayPl),
      unrealized_intraday_plpc: dec(dayPl / Math.abs(p.qty * lastday * m), 7),
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
    for (const symbol of spec.mleg ? spec.mleg.legs.map((l) => l.symbol) : [spec.symbol]) {
      this.#price(symbol);
    }
    if (spec.clientOrderId !== null && this.#clientIds.has(spec.clientOrderId)) {
      throw invalid("client_order_id must be unique");
    }
    return this.#submit(spec);
  }

  #submit(spec: OrderSpec, replaces: OrderRec | null = null): OrderRec {
    if (spec.mleg) return this.#submitMleg(spec, spec.mleg);
    const pos = this.#positions.get(spec.symbol)?.qty ?? 0;
    const contract = occ(spec.symbol);
    let intent: string;
    if (contract) intent = this.#checkOption(spec, contract, pos, replaces);
    else {
      const qty = spec.qty ?? (spec.notional ?? 0) / this.#execPrice(spec.symbol, spec.side);
      if (spec.side === "sell") this.#checkReduce(spec.symbol, "sell", qty, pos, replaces);
      if (spec.side === "buy" && pos < 0) {
        this.#checkReduce(spec.symbol, "buy", qty, pos, replaces);
      }
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
      intent = spec.intent ?? defaultIntent(spec.side, pos);
    }
    const o = this.#record(spec, intent, contract ? "us_option" : "us_equity", replaces);
    if (this.fillMode === "immediate" && (this.marketOpen || o.extendedHours)) this.process(o);
    return o;
  }

  /**
   * The level, cover and buying-power rules of a single-contract order (alpaca_options.ts);
   * answers the order's position intent.
   */
  #checkOption(spec: OrderSpec, c: Contract, pos: number, replaces: OrderRec | null): Intent {
    if (spec.intent && intentSide(spec.intent as Intent) !== spec.side) {
      throw invalid(`position_intent ${spec.intent} does not match side ${spec.side}`);
    }
    const intent = (spec.intent as Intent | null) ?? defaultIntent(spec.side, pos);
    const refused = levelProblem(this.optionsLevel, intent);
    if (refused) throw forbidden(refused);
    const qty = spec.qty ?? 0;
    if (!isOpening(intent)) {
      this.#checkReduce(spec.symbol, spec.side, qty, closable(spec.side, pos), replaces, false);
      return intent;
    }
    const bp = round2(this.buyingPower() + (replaces ? this.#optionHold(replaces) : 0));
    if (intent === "buy_to_open") {
      const cost = round2(qty * (spec.limit ?? this.#execPrice(spec.symbol, "buy")) * MULTIPLIER);
      if (cost > bp) {
        throw forbidden("insufficient options buying power", {
          buying_power: money(bp),
          cost_basis: money(cost),
        });
      }
      return intent;
    }
    if (c.type === "put") {
      const secured = round2(qty * c.strike * MULTIPLIER);
      if (secured > bp) {
        throw forbidden("insufficient options buying power to secure the put", {
          buying_power: money(bp),
          cost_basis: money(secured),
        });
      }
      return intent;
    }
    // A short call is covered by 100 shares a contract not already covering another one.
    let covering = 0;
    for (const [symbol, p] of this.#positions) {
      const other = occ(symbol);
      if (other?.type === "call" && other.underlying === c.underlying && p.qty < 0) {
        covering += -p.qty * MULTIPLIER;
      }
    }
    for (const o of this.#working()) {
      const other = occ(o.symbol);
      if (
        o !== replaces && !CLOSED.has(o.status) && o.intent === "sell_to_open" &&
        other?.type === "call" && other.underlying === c.underlying
      ) covering += ((o.qty ?? 0) - o.filledQty) * MULTIPLIER;
    }
    const free = Math.max(0, (this.#positions.get(c.underlying)?.qty ?? 0) - covering);
    if (free < qty * MULTIPLIER) {
      throw forbidden(
        `uncovered call: ${dec(qty * MULTIPLIER)} shares of ${c.underlying} needed, ` +
          `${dec(free)} available`,
        { symbol: spec.symbol, available: dec(free) },
      );
    }
    return intent;
  }

  /** An mleg order (§5.2): level 3 to open, each short leg covered, legs filled together. */
  #submitMleg(spec: OrderSpec, m: MlegSpec): OrderRec {
    const held = (symbol: string) => this.#positions.get(symbol)?.qty ?? 0;
    const legs = m.legs.map((l) => ({
      ...l,
      intent: l.intent ?? defaultIntent(l.side, held(l.symbol)),
    }));
    if (legs.some((l) => isOpening(l.intent))) {
      const refused = levelProblem(this.optionsLevel, "mleg");
      if (refused) throw forbidden(refused);
    }
    const bare = uncoveredLeg(legs);
    if (bare) {
      throw forbidden(
        `uncovered short leg ${bare.symbol}: an opening short leg needs an opening long leg of ` +
          "its type in the same order",
      );
    }
    for (const l of legs) {
      if (!isOpening(l.intent)) {
        const pos = closable(l.side, held(l.symbol));
        this.#checkReduce(l.symbol, l.side, m.qty * l.ratio, pos, null, false);
      }
    }
    const net = m.limit ?? netPrice(legs, (l) => this.#execPrice(l.symbol, l.side));
    const need = round2(mlegUnitRequirement(legs, net) * m.qty);
    const bp = this.buyingPower();
    if (need > bp) {
      throw forbidden("insufficient options buying power", {
        buying_power: money(bp),
        cost_basis: money(need),
      });
    }
    const parent = this.#record(
      { ...spec, side: net >= 0 ? "buy" : "sell" },
      "",
      "us_option",
      null,
    );
    parent.orderClass = "mleg";
    parent.legs = legs.map((l) => {
      const leg = this.#record(
        {
          ...spec,
          symbol: l.symbol,
          side: l.side,
          qty: m.qty * l.ratio,
          limit: null,
          clientOrderId: null,
          mleg: undefined,
        },
        l.intent,
        "us_option",
        null,
        false,
      );
      leg.orderClass = "mleg";
      leg.ratioQty = l.ratio;
      return leg;
    });
    if (this.fillMode === "immediate" && this.marketOpen) this.process(parent);
    return parent;
  }

  /** Stores a new order (`listed` false for an mleg's leg, found by id but listed under it). */
  #record(
    spec: OrderSpec,
    intent: string,
    assetClass: OrderRec["assetClass"],
    replaces: OrderRec | null,
    listed = true,
  ): OrderRec {
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
      intent,
      tif: spec.tif,
      limit: spec.limit,
      stop: spec.stop,
      trailPrice: spec.trailPrice,
      trailPercent: spec.trailPercent,
      hwm: null,
      triggered: false,
      status: "accepted",
      extendedHours: spec.extendedHours,
      assetClass,
      orderClass: "",
      legs: null,
      ratioQty: null,
    };
    if (replaces) {
      replaces.status = "replaced";
      replaces.replacedBy = o.id;
      replaces.replacedNs = replaces.updatedNs = ns;
    }
    if (listed) this.orders.push(o);
    this.#byId.set(o.id, o);
    this.#clientIds.set(o.clientOrderId, o);
    return o;
  }

  /**
   * A sell may only close what is held (and not already promised to other orders) unless it opens
   * a short from flat with shorting enabled; never flips long → short (§5.2 errors). Buys against
   * a short are held to the same rule, and so are option orders that close (`mayShort` false).
   */
  #checkReduce(
    symbol: string,
    side: Side,
    qty: number,
    pos: number,
    replacing: OrderRec | null,
    mayShort = this.opts.shortingEnabled,
  ) {
    const held = this.#held(symbol, side);
    const heldQty = roundQty(
      held.qty - (replacing && replacing.qty !== null ? replacing.qty - replacing.filledQty : 0),
    );
    const existing = Math.abs(pos);
    const reducing = side === "sell" ? pos > 0 : pos < 0;
    if (!reducing && side === "sell" && mayShort) return;
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
    for (const leg of o.legs ?? []) leg.status = "new";
    if (o.legs) this.#evaluate(o);
    else if (o.type === "market") {
      // An option without a market on this side waits for one (setOptionQuote tries it again).
      const px = this.#tradePrice(o.symbol, o.side);
      if (px !== null) this.fill(o, this.#remaining(o), px);
    } else this.#evaluate(o);
    if ((o.tif === "ioc" || o.tif === "fok") && !CLOSED.has(o.status)) this.#cancel(o);
  }

  /** Test control: fills an open order now, all that remains unless `qty`, at `price` or market. */
  forceFill(id: string, qty?: number, price?: number): OrderRec {
    const o = this.order(id);
    if (TERMINAL.has(o.status)) throw new Error(`fake Alpaca: order ${id} is ${o.status}`);
    if (o.orderClass === "mleg" && !o.legs) {
      throw new Error("fake Alpaca: fill the mleg, not a leg");
    }
    if (o.legs) {
      if (o.status === "accepted") this.process(o);
      if (!TERMINAL.has(o.status)) this.#fillMleg(o, qty ?? this.#remaining(o));
      return o;
    }
    const px = price ?? this.#tradePrice(o.symbol, o.side);
    if (px === null) throw new Error(`fake Alpaca: ${o.symbol} has no price to fill at`);
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
    if (o.legs) {
      if (o.legs.some((l) => this.#tradePrice(l.symbol, l.side) === null)) return;
      // A debit's limit caps what is paid, a credit's (negative) what is given up.
      const net = netPrice(legSpecs(o), (l) => this.#execPrice(l.symbol, l.side));
      if (o.type === "market" || net <= (o.limit ?? 0)) this.#fillMleg(o, this.#remaining(o));
      return;
    }
    const px = this.#tradePrice(o.symbol, o.side);
    if (px === null) return;
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

  /** `units` of an mleg order: every leg at its bid or ask at once, each with its FILL. */
  #fillMleg(o: OrderRec, units: number): void {
    if (units <= 0) return;
    if (o.legs!.some((l) => this.#tradePrice(l.symbol, l.side) === null)) {
      throw new Error("fake Alpaca: an mleg leg has no price to fill at");
    }
    let net = 0;
    for (const leg of o.legs!) {
      const px = this.#execPrice(leg.symbol, leg.side);
      net += (leg.side === "buy" ? px : -px) * leg.ratioQty!;
      this.fill(leg, units * leg.ratioQty!, px);
    }
    net = Math.round(net * 1e4) / 1e4;
    const before = o.filledQty;
    o.filledQty = roundQty(before + units);
    o.filledAvg = ((o.filledAvg ?? 0) * before + net * units) / o.filledQty;
    const ns = nowNs();
    o.status = o.filledQty >= (o.qty ?? 0) ? "filled" : "partially_filled";
    o.updatedNs = ns;
    if (o.status === "filled") o.filledNs = ns;
  }

  /** Executes `qty` of an open order at `price`: cash, position, FILL activity, equity point. */
  fill(o: OrderRec, qty: number, price: number): void {
    qty = roundQty(qty);
    if (qty <= 0) return;
    const cost = round2(qty * price * this.#multiplier(o.symbol));
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

  /** A new activity id and time: ids start with a 17-digit UTC timestamp (§3.3). */
  #activityStamp() {
    // Strictly increasing, so the page_token cursor (the last id seen) orders like the list.
    const ms = this.#lastActivityMs = Math.max(Date.now(), this.#lastActivityMs + 1);
    const iso = new Date(ms).toISOString();
    return { ms, iso, id: `${iso.replace(/[-:.TZ]/g, "")}::${crypto.randomUUID()}` };
  }

  #recordFill(o: OrderRec, qty: number, price: number): void {
    const { ms, iso, id } = this.#activityStamp();
    this.#activities.push({
      id,
      ms,
      type: "FILL",
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

  /**
   * `GET /v2/orders` (§5.3) as the API writes it: with `nested=true` an mleg order carries its
   * legs, otherwise each leg is listed as an order of its own beside its parent.
   */
  listOrdersJson(q: URLSearchParams): Record<string, unknown>[] {
    const nested = q.get("nested") === "true";
    return this.listOrders(q).map((o) => orderJson(o, nested));
  }

  /** The orders `GET /v2/orders` (§5.3) lists. */
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
    const classes = q.get("asset_class")?.split(",").map((s) => s.trim()).filter(Boolean);
    const nested = q.get("nested") === "true";
    const pool = nested ? this.orders : [...this.orders.flatMap((o) => [o, ...o.legs ?? []])];
    const rows = pool.filter((o) =>
      (status === "all" || (status === "closed") === CLOSED.has(o.status)) &&
      (after === null || o.submittedNs > after) &&
      (until === null || o.submittedNs < until) &&
      (!symbols?.length || [o, ...o.legs ?? []].some((x) => symbols.includes(x.symbol))) &&
      (side === null || (o.legs === null && o.side === side)) &&
      (!classes?.length || classes.includes(o.assetClass))
    );
    rows.sort((a, b) => (a.submittedNs < b.submittedNs ? -1 : 1));
    if (direction === "desc") rows.reverse();
    return rows.slice(0, limit);
  }

  /** `PATCH /v2/orders/{id}` (§5.6): a new order replaces the old one. */
  replaceOrder(id: string, body: unknown): OrderRec {
    const old = this.order(id);
    if (old.orderClass === "mleg") {
      throw invalid("replacing mleg orders is not supported by the fake Alpaca server");
    }
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
    if (old.assetClass === "us_option" && tif !== null && tif !== "day") {
      throw invalid(`invalid time_in_force for options: ${JSON.stringify(tif)} (only "day")`);
    }
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
    for (const leg of o.legs ?? []) if (!TERMINAL.has(leg.status)) this.#cancel(leg);
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
    // Options close in whole contracts.
    const whole = occ(symbol) !== null;
    if (qtyParam !== null) {
      qty = decimalField({ qty: qtyParam }, "qty", whole ? 0 : 9)!;
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
      qty = whole
        ? Math.floor(Math.abs(p.qty) * pct / 100 + 1e-9)
        : floorQty(Math.abs(p.qty) * pct / 100);
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

  /**
   * Test control: the close of `symbol`'s expiration day, as Alpaca books it (its page on option
   * events; §7 names the types). In the money by a cent or more at `underlyingClose` (default the
   * underlying's price): a long contract is exercised (OPEXC) and a short one assigned (OPASN),
   * each with the OPTRD that moves 100 shares a contract at the strike; otherwise it expires
   * (OPEXP). Open orders on the contract are canceled. Answers the activities it wrote.
   */
  expireOption(symbol: string, underlyingClose?: number): Record<string, unknown>[] {
    const c = occ(symbol);
    if (!c) throw new Error(`fake Alpaca: ${symbol} is not an OCC option symbol`);
    for (const o of this.orders) {
      const on = o.symbol === symbol || o.legs?.some((l) => l.symbol === symbol);
      if (on && !CLOSED.has(o.status)) this.#cancel(o);
    }
    const p = this.#positions.get(symbol);
    if (!p) return [];
    this.#positions.delete(symbol);
    const close = underlyingClose ?? this.#price(c.underlying).price;
    const itm = (c.type === "call" ? close - c.strike : c.strike - close) >= 0.01;
    const long = p.qty > 0;
    const contracts = Math.abs(p.qty);
    const type = !itm ? "OPEXP" : long ? "OPEXC" : "OPASN";
    const description =
      { OPEXP: "Option Expiry", OPEXC: "Option Exercise", OPASN: "Option Assignment" }[type];
    const out = [
      this.#recordEvent(type, { symbol, qty: dec(-p.qty), net_amount: "0", description }),
    ];
    if (itm) {
      // A long call or a short put takes the shares; a long put or a short call delivers them.
      const buys = (c.type === "call") === long;
      const shares = contracts * MULTIPLIER;
      const amount = round2(shares * c.strike);
      this.cash = round2(this.cash + (buys ? -amount : amount));
      this.#move(c.underlying, buys ? shares : -shares, c.strike);
      out.push(this.#recordEvent("OPTRD", {
        symbol: c.underlying,
        qty: dec(buys ? shares : -shares),
        price: dec(c.strike),
        net_amount: money(buys ? -amount : amount),
        description: "Option Trade",
      }));
    }
    this.equityPoints.push({ ms: Date.now(), equity: this.equity() });
    return out;
  }

  /** A non-trade activity (§7): `date`, signed `net_amount`, `status: executed`. */
  #recordEvent(type: string, fields: Record<string, unknown>): Record<string, unknown> {
    const { ms, iso, id } = this.#activityStamp();
    const json = {
      id,
      activity_type: type,
      date: iso.slice(0, 10),
      created_at: iso,
      status: "executed",
      ...fields,
    };
    this.#activities.push({ id, ms, type, json });
    return json;
  }

  /** `GET /v2/account/activities[/{type}]` (§7): FILLs and option events, paged by id. */
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
    const dayStart = day === null ? 0 : Number(day / 1_000_000n);
    const rows = this.#activities.filter((a) => {
      const ns = BigInt(a.ms) * 1_000_000n;
      const trade = a.type === "FILL";
      return (types === null || types.includes(a.type)) &&
        (category === null || (category === "trade_activity") === trade) &&
        (after === null || ns > after) && (until === null || ns < until) &&
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
    // One reading of the clock: a second one can fall a millisecond past `end` and drop "now".
    const now = Date.now();
    const end = endNs === null ? now : Number(endNs / 1_000_000n);
    const start = startNs === null ? end - days * 86_400_000 : Number(startNs / 1_000_000n);
    const points = [...this.equityPoints, { ms: now, equity: this.equity() }]
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
      base_value_asof: new Date(now - 86_400_000).toISOString().slice(0, 10),
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
