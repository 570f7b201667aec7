/**
 * The MarketData seam: everything PaiiD knows about prices comes through this interface, from
 * Tradier (`source: "tradier"`) or from the replay of shipped history (`source: "replay"`).
 * Every result names its source and the time it describes, so no screen can pass replayed or
 * simulated data off as live.
 */

export type MarketSource = "tradier" | "replay";

/**
 * Set to `true` by the cache in front of every source (lib/market/cached.ts) when the upstream
 * failed and an expired copy is served instead; absent on fresh results.
 */
export interface Freshness {
  stale?: boolean;
}

/**
 * Replay only: `intraday: "simulated"` when values inside the trading day (the last price and the
 * session's open/high/low/volume so far, bid/ask and their sizes, intraday bars, the replay day's
 * partial daily bar, time and sales) come from the seeded simulation inside the real day's
 * open/high/low/close and volume (lib/market/replay/intraday.ts), not from recorded trades.
 * Absent on live data and on results made only of real daily history.
 */
export interface IntradayLabel {
  intraday?: "simulated";
}

/** Prices are numbers in USD; sizes and volumes are shares. Times are ISO-8601 strings (UTC). */
export interface Quote extends Freshness, IntradayLabel {
  symbol: string;
  description: string | null;
  last: number | null;
  bid: number | null;
  ask: number | null;
  bidSize: number | null;
  askSize: number | null;
  change: number | null;
  changePercent: number | null;
  volume: number | null;
  open: number | null;
  high: number | null;
  low: number | null;
  prevClose: number | null;
  /** When this quote's last trade happened (for replay: the simulated moment). */
  timestamp: string;
  source: MarketSource;
  /** Replay only: the historical trading day this quote replays (`YYYY-MM-DD`). */
  replayDate?: string;
}

export type BarInterval = "1min" | "5min" | "15min" | "daily" | "weekly" | "monthly";

export interface Bar {
  /** Start of the bar: a date `YYYY-MM-DD` for daily/weekly/monthly, an ISO instant intraday. */
  time: string;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

export interface Bars extends Freshness, IntradayLabel {
  symbol: string;
  interval: BarInterval;
  bars: Bar[];
  source: MarketSource;
  timestamp: string;
}

export interface TimeSale {
  time: string;
  price: number;
  size: number;
}

export interface TimeSales extends Freshness, IntradayLabel {
  symbol: string;
  sales: TimeSale[];
  source: MarketSource;
  timestamp: string;
}

export type MarketState = "open" | "premarket" | "postmarket" | "closed";

export interface MarketClock extends Freshness {
  state: MarketState;
  /** Exchange-local date the clock describes (for replay: the replayed historical day). */
  date: string;
  /**
   * Monotonic number of the session `date` belongs to: a later session always has a larger
   * number, also when the replay wraps back to the start of its history and `date` jumps
   * backwards. Compare sessions with it, never with dates.
   */
  session: number;
  /** The session whose close is `nextClose`; null when `nextClose` is not known. */
  nextCloseSession: number | null;
  /** ISO instants. */
  nextOpen: string | null;
  nextClose: string | null;
  description: string;
  source: MarketSource;
  timestamp: string;
  /** Replay only: the historical trading day replayed (the same as `date`). */
  replayDate?: string;
}

export interface CalendarDay {
  date: string;
  status: "open" | "closed";
  /** Exchange-local "HH:MM" (America/New_York), null when closed. */
  open: string | null;
  close: string | null;
  premarket: { start: string; end: string } | null;
  postmarket: { start: string; end: string } | null;
  description: string | null;
}

export interface MarketCalendar extends Freshness {
  month: number;
  year: number;
  days: CalendarDay[];
  source: MarketSource;
  timestamp: string;
}

export interface SymbolMatch {
  symbol: string;
  name: string;
  exchange: string | null;
  type: "stock" | "etf" | "index" | "option" | "other";
}

export interface SymbolSearch extends Freshness {
  query: string;
  matches: SymbolMatch[];
  source: MarketSource;
  timestamp: string;
}

export interface CompanyInfo extends Freshness {
  symbol: string;
  name: string;
  exchange: string | null;
  sector: string | null;
  industry: string | null;
  source: MarketSource;
  timestamp: string;
}

export interface Greeks {
  delta: number;
  gamma: number;
  /** Per calendar day. */
  theta: number;
  /** Per 1 volatility point (0.01). */
  vega: number;
  rho: number;
  /** Implied volatility as a fraction (0.25 = 25 %). */
  iv: number | null;
}

export interface OptionContract {
  /** OCC symbol, e.g. AAPL220121C00150000. */
  symbol: string;
  underlying: string;
  type: "call" | "put";
  strike: number;
  expiration: string;
  bid: number | null;
  ask: number | null;
  last: number | null;
  volume: number | null;
  openInterest: number | null;
  greeks: Greeks | null;
}

export interface OptionExpirations extends Freshness {
  symbol: string;
  expirations: string[];
  source: MarketSource;
  timestamp: string;
}

export interface OptionChain extends Freshness {
  symbol: string;
  expiration: string;
  /** Price of the underlying the chain was priced against. */
  underlyingPrice: number | null;
  options: OptionContract[];
  source: MarketSource;
  timestamp: string;
}

/** One update on a stream. */
export type StreamEvent =
  | { type: "quote"; quote: Quote }
  | {
    type: "trade";
    symbol: string;
    price: number;
    size: number;
    timestamp: string;
    source: MarketSource;
  };

export interface QuoteStream {
  /** Updates for the subscribed symbols until `close()` or the signal aborts. */
  [Symbol.asyncIterator](): AsyncIterator<StreamEvent>;
  close(): void;
}

export interface BarsQuery {
  interval: BarInterval;
  /** Inclusive `YYYY-MM-DD` dates; defaults chosen by the implementation when omitted. */
  start?: string;
  end?: string;
}

/** Thrown for a symbol the source doesn't know (answered as 404 by the API). */
export class UnknownSymbolError extends Error {
  constructor(readonly symbol: string, detail?: string) {
    super(detail ?? `Unknown symbol ${symbol}.`);
    this.name = "UnknownSymbolError";
  }
}

/** Thrown when the upstream fails (after retries); the cache may serve stale data instead. */
export class UpstreamError extends Error {
  constructor(message: string, readonly status?: number) {
    super(message);
    this.name = "UpstreamError";
  }
}

export interface MarketData {
  readonly source: MarketSource;
  quotes(symbols: string[]): Promise<Quote[]>;
  bars(symbol: string, query: BarsQuery): Promise<Bars>;
  timeSales(
    symbol: string,
    opts?: { interval?: "tick" | "1min" | "5min" | "15min"; start?: string; end?: string },
  ): Promise<TimeSales>;
  clock(): Promise<MarketClock>;
  calendar(month?: number, year?: number): Promise<MarketCalendar>;
  search(query: string): Promise<SymbolSearch>;
  company(symbol: string): Promise<CompanyInfo>;
  expirations(symbol: string): Promise<OptionExpirations>;
  chain(symbol: string, expiration: string): Promise<OptionChain>;
  /** A stream of updates for `symbols`. One call = one upstream subscription. */
  stream(symbols: string[], signal?: AbortSignal): QuoteStream;
  /** Releases timers, sockets and sessions. */
  close(): Promise<void>;
}
