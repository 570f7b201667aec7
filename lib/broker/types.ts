/**
 * The Broker seam: every order, fill, position and account figure comes through this interface,
 * from the built-in paper broker (`lib/broker/paper/`, the default, filling against MarketData)
 * or from Alpaca paper trading (`lib/broker/alpaca/`). Both are tested by the same suite.
 *
 * Money is in USD and quantities in shares, as JS numbers at the seam (the ledger itself is kept
 * exact in Postgres `numeric` and computed with decimal.js). Times are ISO-8601 strings (UTC).
 * Every result names its broker (`source`) and where its prices came from (`prices`), so a
 * replayed valuation is never shown as live.
 *
 * @module
 */
import type { MarketSource } from "../market/types.ts";

export type BrokerKind = "paper" | "alpaca";
export type OrderSide = "buy" | "sell";
export type OrderType = "market" | "limit" | "stop" | "stop_limit" | "trailing_stop";
export type TimeInForce = "day" | "gtc";
export type OrderStatus =
  /** Sent to the broker, answer not yet known (Alpaca only: the reconcile job settles it). */
  | "pending_new"
  /** Accepted but not yet working: a market order waiting for the open. */
  | "accepted"
  /** Working: resting until its price condition is met. */
  | "new"
  | "partially_filled"
  | "filled"
  | "canceled"
  | "expired"
  | "replaced"
  | "rejected"
  | "pending_cancel"
  | "pending_replace";

/** Statuses in which an order may still fill. */
export const OPEN_STATUSES: readonly OrderStatus[] = [
  "pending_new",
  "accepted",
  "new",
  "partially_filled",
  "pending_cancel",
  "pending_replace",
];

export function isOpenStatus(status: OrderStatus): boolean {
  return OPEN_STATUSES.includes(status);
}

/** Where valuations came from: a market-data source, or the broker's own marks (Alpaca). */
export type PriceSource = MarketSource | "alpaca";

/**
 * How the intraday path behind a price was made. Replay prices are real daily bars with the
 * path inside each day simulated, so anything priced by them says so.
 */
export type IntradayPath = "simulated";

/** The label that goes with prices from `prices`: `{ intraday: "simulated" }` for replay. */
export function intradayLabel(prices: PriceSource | null): { intraday?: IntradayPath } {
  return prices === "replay" ? { intraday: "simulated" } : {};
}

/** Stocks and ETFs, or option contracts (OCC symbols, quantities in contracts of 100 shares). */
export type AssetClass = "us_equity" | "us_option";
/** What an option order does to the position (Alpaca's `position_intent`). */
export type PositionIntent = "buy_to_open" | "buy_to_close" | "sell_to_open" | "sell_to_close";
/** `mleg`: one option order of 2–4 legs, filled all or none. */
export type OrderClass = "simple" | "mleg";

/** One leg of a multi-leg option order. */
export interface OrderLeg {
  /** OCC option symbol (lib/options/occ.ts). */
  symbol: string;
  side: OrderSide;
  /** Contracts of this leg per unit of the order: 1, or 2 for a butterfly's body. */
  ratioQty: number;
  positionIntent: PositionIntent;
}

/** A leg as the order carries it once placed. */
export interface OrderLegState extends OrderLeg {
  /** Contracts filled for this leg (= order filledQty × ratioQty once filled; all or none). */
  filledQty: number;
  /** USD per share. */
  filledAvgPrice: number | null;
}

export interface OrderRequest {
  /**
   * A ticker, or an OCC symbol for a single-leg option order (qty in whole contracts, day or
   * gtc, market or limit). For `mleg` orders: the legs' common underlying.
   */
  symbol: string;
  side: OrderSide;
  type: OrderType;
  timeInForce: TimeInForce;
  /** Shares; exactly one of `qty` and `notional`. Fractions only for market day orders. */
  qty?: number;
  /** Dollars to spend or raise; market day orders only. */
  notional?: number;
  limitPrice?: number;
  stopPrice?: number;
  /** Trailing stops: a dollar offset, or */
  trailPrice?: number;
  /** a percentage offset (2 = 2 %), never both. */
  trailPercent?: number;
  /** The caller's key: the same key never makes a second order. ≤ 128 characters. */
  clientOrderId: string;
  /** Option orders: open or close. Required for options; absent for stock. */
  positionIntent?: PositionIntent;
  /**
   * `mleg`: a multi-leg option order. Then `legs` holds 2–4 legs, `qty` counts units (each leg
   * trades qty × ratioQty contracts), `type` is market or limit, and `limitPrice` is the net
   * price of one unit per share, always positive: `side` "buy" pays it (a net debit), "sell"
   * receives it (a net credit).
   */
  orderClass?: OrderClass;
  legs?: OrderLeg[];
}

export interface Order {
  id: string;
  clientOrderId: string;
  symbol: string;
  side: OrderSide;
  type: OrderType;
  timeInForce: TimeInForce;
  qty: number | null;
  notional: number | null;
  filledQty: number;
  filledAvgPrice: number | null;
  limitPrice: number | null;
  stopPrice: number | null;
  trailPrice: number | null;
  trailPercent: number | null;
  /** Trailing stops: the best price seen since the order started working. */
  hwm: number | null;
  status: OrderStatus;
  /** Why the broker rejected, canceled or expired it, in words. */
  reason: string | null;
  createdAt: string;
  submittedAt: string | null;
  filledAt: string | null;
  canceledAt: string | null;
  expiredAt: string | null;
  /** Day orders: the exchange date (`YYYY-MM-DD`) whose close ends the order. */
  expiresSession: string | null;
  replaces: string | null;
  replacedBy: string | null;
  source: BrokerKind;
  /** The market data the fill price came from, once filled. */
  prices: PriceSource | null;
  /** Filled against replay prices: the intraday path behind the fill price was simulated. */
  intraday?: IntradayPath;
  /** Absent on stock orders (= "us_equity"). */
  assetClass?: AssetClass;
  /** Absent = "simple". */
  orderClass?: OrderClass;
  positionIntent?: PositionIntent | null;
  /** `mleg` orders: their legs. */
  legs?: OrderLegState[] | null;
  /** Option orders filled against market data: the chain behind the price (`replay-model`). */
  chain?: ChainLabel;
}

export interface SubmitResult {
  order: Order;
  /** True when `clientOrderId` had been used: `order` is the existing order, nothing new. */
  duplicate: boolean;
  /** The pre-trade checks it passed (when the broker ran them). */
  checks?: CheckResult[];
}

export interface Account {
  source: BrokerKind;
  prices: PriceSource;
  currency: "USD";
  cash: number;
  /** Cash less what open buy orders and short positions hold. */
  buyingPower: number;
  /** Cash plus long market value minus short market value. */
  equity: number;
  longMarketValue: number;
  shortMarketValue: number;
  /** Equity at the previous close. */
  lastEquity: number;
  dayPl: number;
  /** Fraction (0.01 = 1 %). */
  dayPlPercent: number | null;
  /** Paper accounts: the cash the account started with. */
  startingCash: number | null;
  /** Total unrealized P&L of open positions. */
  unrealizedPl: number;
  /** P&L realized by closing trades since the account opened (paper) or null (Alpaca). */
  realizedPl: number | null;
  timestamp: string;
  /** True when a price behind a valuation was served stale by the cache. */
  stale?: boolean;
}

export interface Position {
  symbol: string;
  /** Signed: negative for a short position. */
  qty: number;
  side: "long" | "short";
  avgEntryPrice: number;
  /** Signed like qty. */
  costBasis: number;
  marketValue: number | null;
  currentPrice: number | null;
  lastdayPrice: number | null;
  unrealizedPl: number | null;
  /** Fraction of |cost basis|. */
  unrealizedPlPercent: number | null;
  /** Today's move of the price, a fraction. */
  changeToday: number | null;
  /** What today's move did to this position, USD. */
  dayPl: number | null;
  realizedPl: number | null;
  source: BrokerKind;
  prices: PriceSource;
  /** Absent on stock positions (= "us_equity"). */
  assetClass?: AssetClass;
  /**
   * Option positions: the contract. `qty` is then in contracts; prices are per share and every
   * USD figure (cost basis, market value, P&L) is already × `multiplier`.
   */
  option?: {
    underlying: string;
    expiration: string;
    type: "call" | "put";
    strike: number;
    multiplier: number;
  };
  /** Option positions, when the chain has them: the contract's Greeks per contract share. */
  greeks?: PositionGreeks | null;
  /** Option positions: where the marks came from (`replay-model`: priced from real history). */
  chain?: ChainLabel;
}

/** Greeks of one option contract, per share (× 100 × qty for the position). */
export interface PositionGreeks {
  delta: number;
  gamma: number;
  /** Per calendar day. */
  theta: number;
  /** Per volatility point. */
  vega: number;
  /** Implied volatility, a fraction. */
  iv: number | null;
}

/**
 * Where option prices came from: `replay-model`, a chain modelled (Black-Scholes-Merton) from the
 * replay's real history, or a live source's chain.
 */
export type ChainLabel = "replay-model" | "tradier";

/** Why a fill happened: an order's trade, or an option's settlement at expiry. */
export type FillReason =
  | "trade"
  /** A long option in the money at expiry became shares (or cash, per the settlement rule). */
  | "exercise"
  /** A short option in the money at expiry was assigned. */
  | "assignment"
  /** Out of (or at) the money at expiry: closed at zero. */
  | "expired";

export interface Fill {
  id: string;
  orderId: string | null;
  symbol: string;
  side: OrderSide;
  qty: number;
  price: number;
  /** qty × price rounded to the cent: what moved in cash. */
  notional: number;
  realizedPl: number | null;
  at: string;
  source: BrokerKind;
  /** The market data the fill price came from (its order's `prices`), when known. */
  prices?: PriceSource | null;
  /** Filled against replay prices: the intraday path behind the price was simulated. */
  intraday?: IntradayPath;
  /** Absent = "trade". */
  reason?: FillReason;
  /** Options: 100 (notional = qty × price × multiplier). Absent = 1. */
  multiplier?: number;
  /** Expiry settlements: what happened, in words ("AAPL 150 call exercised at 150: +100 AAPL"). */
  note?: string;
  /** Option fills against market data: the chain behind the price (`replay-model`). */
  chain?: ChainLabel;
}

export interface OrderQuery {
  status?: "open" | "closed" | "all";
  /** ISO instants: created strictly after / before. */
  after?: string;
  until?: string;
  limit?: number;
  symbols?: string[];
}

export interface ReplaceRequest {
  qty?: number;
  limitPrice?: number;
  stopPrice?: number;
  /** Trailing stops: the new trail, in the order's unit (dollars or percent). */
  trail?: number;
  timeInForce?: TimeInForce;
  /** Key of the new order; generated when absent. */
  clientOrderId?: string;
}

export interface ClosePositionRequest {
  /** Shares to close, or */
  qty?: number;
  /** a percentage of the position (0–100]; neither = all of it. */
  percentage?: number;
  clientOrderId: string;
}

/** Closes 2–4 option positions on one underlying as one market multi-leg order. */
export interface CloseStrategyRequest {
  /** OCC symbols of positions held. */
  symbols: string[];
  clientOrderId: string;
}

export type HistoryRange = "1D" | "1W" | "1M" | "3M" | "1Y" | "ALL";

export interface HistoryPoint {
  time: string;
  equity: number;
  /** Against the range's base value. */
  profitLoss: number;
  profitLossPercent: number | null;
}

export interface PortfolioHistory {
  range: HistoryRange;
  baseValue: number;
  points: HistoryPoint[];
  source: BrokerKind;
  prices: PriceSource;
}

/** What one pass of `sync` did (the cron job logs it). */
export interface SyncReport {
  checked: number;
  filled: number;
  expired: number;
  updated: number;
  errors: number;
  /** Paper: option positions settled at expiry (lib/broker/paper/expiry.ts) in this pass. */
  settled?: number;
}

export interface Broker {
  /** Which broker this is: a label for responses, never a branch outside lib/broker/. */
  readonly kind: BrokerKind;
  /** Where this broker's valuations come from, also when nothing is held to carry the label. */
  readonly priceSource: PriceSource;
  /** Proves the broker can answer (the health check); throws when it cannot. */
  ping(): Promise<void>;
  account(userId: number): Promise<Account>;
  positions(userId: number): Promise<Position[]>;
  /**
   * Places through the shared checked-submit pipeline (lib/broker/pipeline.ts): idempotency
   * lookup, pre-trade checks, placement, snapshot. Idempotent on `clientOrderId`; the same key
   * with another request throws `IdempotencyKeyReusedError`; refusals throw
   * `OrderRefusedError` and store nothing.
   */
  submit(userId: number, req: OrderRequest): Promise<SubmitResult>;
  /** Throws `OrderNotFoundError` for an order that is not this user's. */
  order(userId: number, id: string): Promise<Order>;
  orders(userId: number, query?: OrderQuery): Promise<Order[]>;
  /** Cancels an open order (`OrderStateError` when it can no longer be canceled). */
  cancel(userId: number, id: string): Promise<Order>;
  /** Replaces an open order with a new one (new id, `replaces` = old id). */
  replace(userId: number, id: string, change: ReplaceRequest): Promise<Order>;
  /**
   * Sends the order that closes (part of) a position through the same pipeline, sized by the
   * one close-quantity rule (lib/shared/close_quantity.ts); `OrderNotFoundError` when flat.
   */
  closePosition(userId: number, symbol: string, req: ClosePositionRequest): Promise<SubmitResult>;
  /**
   * Closes the option positions `req.symbols` as ONE market multi-leg order
   * (lib/broker/close_strategy.ts), through the pipeline like `closePosition` (so a halt does not
   * stop it); `OrderNotFoundError` when one is not held. Idempotent on `clientOrderId` for the
   * same set of symbols. Optional while a broker cannot place multi-leg orders.
   */
  closeStrategy?(userId: number, req: CloseStrategyRequest): Promise<SubmitResult>;
  fills(
    userId: number,
    query?: { after?: string; until?: string; limit?: number },
  ): Promise<Fill[]>;
  history(userId: number, range: HistoryRange): Promise<PortfolioHistory>;
  /** Periodic work: fill or expire resting paper orders; reconcile Alpaca orders and fills. */
  sync(): Promise<SyncReport>;
  /**
   * Background equity sampling for the portfolio history: how many accounts got a point. Alpaca
   * keeps its own history, so it samples nothing.
   */
  snapshotAll(): Promise<number>;
  close(): Promise<void>;
}

/** One pre-trade rule's verdict; `refused` ones say by how much. */
export interface CheckResult {
  rule:
    | "quantity"
    | "notional"
    | "max_order_value"
    | "max_position_percent"
    | "daily_loss_limit"
    | "buying_power"
    | "short_sale"
    | "market_hours"
    | "price"
    /** Options: the account's option level (settings) does not allow this structure. */
    | "option_level"
    /** Options: a well-formed multi-leg structure (same underlying, 2–4 legs, no duplicates). */
    | "option_structure";
  ok: boolean;
  /** "refuse" stops the order; "warn" is shown in the preview and the order may go. */
  severity: "refuse" | "warn" | "info";
  message: string;
  limit?: number;
  value?: number;
  /** How far past the limit, in the rule's unit. */
  excess?: number;
  unit?: "USD" | "%" | "shares" | "contracts";
}

/** The broker or a pre-trade rule refused the order; nothing was placed. */
export class OrderRefusedError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly checks: CheckResult[] = [],
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "OrderRefusedError";
  }
}

export class OrderNotFoundError extends Error {
  constructor(what = "Order not found.") {
    super(what);
    this.name = "OrderNotFoundError";
  }
}

/** The order exists but cannot do that now (cancel a filled order, replace a canceled one). */
export class OrderStateError extends Error {
  constructor(message: string, readonly status?: OrderStatus) {
    super(message);
    this.name = "OrderStateError";
  }
}

/** The idempotency key was first used for a different request; nothing was placed. */
export class IdempotencyKeyReusedError extends Error {
  constructor(readonly clientOrderId: string, readonly orderId: string) {
    super(
      `The key ${clientOrderId} was already used for a different request (order ${orderId}); ` +
        "send a new key for a new request.",
    );
    this.name = "IdempotencyKeyReusedError";
  }
}

/** The broker could not be reached or answered unusably; nothing is known to have happened. */
export class BrokerUnavailableError extends Error {
  constructor(message: string, readonly retryAfterSeconds?: number) {
    super(message);
    this.name = "BrokerUnavailableError";
  }
}
