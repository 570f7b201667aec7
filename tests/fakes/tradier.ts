/**
 * A FAKE Tradier server for tests, on 127.0.0.1, following ../shared/api-contracts/tradier.md:
 * the REST market-data endpoints (§4), the streaming session, WebSocket and HTTP stream (§5),
 * bearer auth (§2, §6), rate-limit headers and 429 (§7), and the quirks of §3 (bare object for a
 * one-element list, `null`/`"null"` for empty results, `unmatched_symbols`, stringly numbers in
 * stream payloads). Its prices are a small invented dataset — not market data.
 *
 * ```ts
 * const fake = await startFakeTradier();
 * const market = createTradierMarketData({ token: fake.token, baseUrl: fake.url, wsUrl: fake.wsUrl });
 * fake.fail(2, 500); // the next two REST requests answer 500
 * await fake.close();
 * ```
 *
 * @module
 */

export interface FakeTradierOptions {
  /** Bearer token the fake accepts. Default a random one. */
  token?: string;
  /** Requests per rate-limit window before 429 (§7). Default 120. */
  rateLimit?: number;
  /** Length of a rate-limit window. Default 60 s. */
  rateWindowMs?: number;
  /** How empty results are written (§3.3): JSON null (default) or the string "null". */
  emptyAs?: "null" | "string";
  /** A streaming session must be used within this long (§4.12). Default 5 minutes. */
  sessionTtlMs?: number;
  /**
   * Adds this many invented stocks (ZAAA, ZAAB, …) to the dataset, for scans and load tests over
   * a large universe. They stay for the rest of the process.
   */
  stocks?: number;
  /**
   * First day of the daily history (§4.6), for backtests that need a long one. Default
   * 2024-06-03: June 2024 only. Days before June 2024 follow a wave (period 60 sessions, ±8 %)
   * around each security's base price, on NYSE weekdays (2023-2024 holidays closed); June 2024's
   * bars are the same whatever this is.
   */
  historyFrom?: string;
  /** Symbols whose history starts later (a listing date): no bars before it. */
  listings?: Record<string, string>;
}

export interface FakeRequest {
  method: string;
  path: string;
  /** Query and form parameters together. */
  params: Record<string, string>;
  authorized: boolean;
  at: number;
}

export type Fault = 500 | 502 | 503 | 429 | "hang";

export interface FakeTradier {
  /** REST base including `/v1`. */
  url: string;
  wsUrl: string;
  streamUrl: string;
  token: string;
  /** Every REST and stream request received, in order. */
  requests: FakeRequest[];
  /** The next `n` REST requests answer `fault` (429 comes with an exhausted rate-limit window). */
  fail(n: number, fault: Fault, opts?: { resetMs?: number }): void;
  /** Sets the market clock (§4.8) answered from now on. */
  setClock(clock: Partial<typeof DEFAULT_CLOCK>): void;
  /** Sends a raw stream payload (§5.4) to every connection subscribed to its symbol and type. */
  emit(payload: { type: string; symbol: string } & Record<string, unknown>): number;
  /** Payload builders with the contract's field types (numbers as strings where Tradier does). */
  payloads: typeof payloads;
  /** Stream connections currently open and subscribed. */
  streamClients(): number;
  /** Resolves once exactly `n` stream connections are open and subscribed. */
  waitForStreamClients(n: number, timeoutMs?: number): Promise<void>;
  /** Server-side close of every stream connection. */
  dropStreams(): void;
  /** Makes every session created so far invalid (as after the 5-minute expiry). */
  expireSessions(): void;
  /** The next `n` stream subscriptions are refused as if their session had expired. */
  rejectSessions(n: number): void;
  /** Streaming sessions created so far. */
  sessionsCreated(): number;
  /** Stream connections (WebSocket upgrades and HTTP stream responses) opened so far. */
  streamConnectionsOpened(): number;
  close(): Promise<void>;
}

const DEFAULT_CLOCK = {
  date: "2024-06-20",
  description: "Market is open from 09:30 to 16:00",
  state: "open" as "open" | "closed" | "premarket" | "postmarket",
  timestamp: 1718896352,
  next_change: "16:00",
  next_state: "postmarket" as "open" | "closed" | "premarket" | "postmarket",
};

// ---- The invented dataset -------------------------------------------------------------------

interface Security {
  symbol: string;
  exchange: string;
  type: "stock" | "etf" | "index";
  description: string;
  base: number;
}

const SECURITIES: Security[] = [
  { symbol: "AAPL", exchange: "Q", type: "stock", description: "Apple Inc", base: 210 },
  { symbol: "MSFT", exchange: "Q", type: "stock", description: "Microsoft Corp", base: 440 },
  { symbol: "GOOGL", exchange: "Q", type: "stock", description: "Alphabet Inc", base: 178 },
  {
    symbol: "GOOG",
    exchange: "Q",
    type: "stock",
    description: "Alphabet Inc. - Class C Capital Stock",
    base: 179,
  },
  { symbol: "SPY", exchange: "P", type: "etf", description: "SPDR S&P 500", base: 550 },
  { symbol: "SPX", exchange: "I", type: "index", description: "S&P 500 Index", base: 5500 },
];

/** NYSE holidays of 2023 and 2024 (full closures). */
const HOLIDAYS = new Set([
  "2023-01-02",
  "2023-01-16",
  "2023-02-20",
  "2023-04-07",
  "2023-05-29",
  "2023-06-19",
  "2023-07-04",
  "2023-09-04",
  "2023-11-23",
  "2023-12-25",
  "2024-01-01",
  "2024-01-15",
  "2024-02-19",
  "2024-03-29",
  "2024-05-27",
  "2024-06-19",
]);
const JUNE_FIRST = "2024-06-03";
const HISTORY_LAST = "2024-06-28";

/** Trading days of the fake's history from `from` through June 2024: weekdays, holidays closed. */
function historyDays(from = JUNE_FIRST): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${from}T12:00:00Z`);; t += 86_400_000) {
    const date = new Date(t).toISOString().slice(0, 10);
    if (date > HISTORY_LAST) return days;
    const wd = new Date(t).getUTCDay();
    if (wd !== 0 && wd !== 6 && !HOLIDAYS.has(date)) days.push(date);
  }
}

/** June 2024's trading days (the default history). */
const DAYS = historyDays();

/** The bar of `date`, the `k`-th trading day from 2024-06-03 (negative before it). */
function dailyBar(sec: Security, date: string, k: number) {
  // June 2024: a deterministic zig-zag up, so tests can compute what to expect. Before it, a
  // wave around the base price, so moving averages cross and backtests trade.
  const open = k >= 0
    ? round(sec.base + k * 0.5)
    : round(sec.base * (1 + 0.08 * Math.sin((2 * Math.PI * k) / 60)));
  const close = round(open + (((k % 2) + 2) % 2 === 0 ? 1.25 : -0.75));
  return {
    date,
    open,
    high: round(Math.max(open, close) + 1),
    low: round(Math.min(open, close) - 1),
    close,
    volume: 1_000_000 + k * 1000,
  };
}

const SESSION_DAY = "2024-06-20";
/** 09:30 ET on SESSION_DAY (EDT, UTC-4) in epoch seconds. */
const SESSION_OPEN_S = Date.UTC(2024, 5, 20, 13, 30) / 1000;

function minuteBars(sec: Security) {
  return Array.from({ length: 390 }, (_, m) => {
    const open = round(sec.base + Math.sin(m / 20));
    const close = round(sec.base + Math.sin((m + 1) / 20));
    const hh = String(9 + Math.floor((30 + m) / 60)).padStart(2, "0");
    const mm = String((30 + m) % 60).padStart(2, "0");
    return {
      time: `${SESSION_DAY}T${hh}:${mm}:00`,
      timestamp: SESSION_OPEN_S + m * 60,
      price: round((open + close) / 2),
      open,
      high: round(Math.max(open, close) + 0.05),
      low: round(Math.min(open, close) - 0.05),
      close,
      volume: 10_000 + m,
      vwap: round((open + close) / 2),
    };
  });
}

function ticks(sec: Security) {
  const rows: Record<string, unknown>[] = [0, 1, 2, 3].map((i) => ({
    time: `${SESSION_DAY}T09:30:0${i}`,
    timestamp: SESSION_OPEN_S + i,
    price: round(sec.base + i * 0.01),
    volume: 100 * (i + 1),
  }));
  // Contract §3.5: a client in the wild defends against "NaN" here (unconfirmed); keep one.
  rows.push({
    time: `${SESSION_DAY}T09:30:05`,
    timestamp: SESSION_OPEN_S + 5,
    price: "NaN",
    volume: 0,
  });
  return rows;
}

const EXPIRATIONS: Record<string, string[]> = {
  AAPL: ["2024-06-21", "2024-06-28", "2024-07-19"],
  MSFT: ["2024-06-21"],
};

function occ(root: string, expiration: string, type: "call" | "put", strike: number): string {
  return `${root}${expiration.slice(2).replaceAll("-", "")}${type === "call" ? "C" : "P"}${
    String(Math.round(strike * 1000)).padStart(8, "0")
  }`;
}

function option(
  underlying: Security,
  expiration: string,
  type: "call" | "put",
  strike: number,
  withGreeks: boolean,
) {
  const itm = type === "call" ? underlying.base - strike : strike - underlying.base;
  const mid = round(Math.max(itm, 0) + 2);
  const untraded = strike === 220 && type === "put";
  return {
    symbol: occ(underlying.symbol, expiration, type, strike),
    description: `${underlying.symbol} ${expiration} $${strike.toFixed(2)} ${
      type === "call" ? "Call" : "Put"
    }`,
    exch: "Z",
    type: "option",
    last: untraded ? null : mid,
    change: untraded ? null : 0.1,
    volume: untraded ? 0 : 1200,
    open: untraded ? null : mid,
    high: untraded ? null : mid,
    low: untraded ? null : mid,
    close: null,
    bid: untraded ? 0.0 : round(mid - 0.05),
    ask: untraded ? 0.0 : round(mid + 0.05),
    underlying: underlying.symbol,
    strike,
    change_percentage: untraded ? null : 1.5,
    average_volume: 0,
    last_volume: 1,
    trade_date: untraded ? 0 : 1718896198863,
    prevclose: untraded ? null : round(mid - 0.1),
    week_52_high: 0.0,
    week_52_low: 0.0,
    bidsize: 10,
    bidexch: "C",
    bid_date: 1718896200000,
    asksize: 12,
    askexch: "X",
    ask_date: 1718896200000,
    open_interest: 500,
    contract_size: 100,
    expiration_date: expiration,
    expiration_type: "standard",
    option_type: type,
    root_symbol: underlying.symbol,
    ...(withGreeks
      ? {
        greeks: {
          delta: type === "call" ? 0.55 : -0.45,
          gamma: 0.03,
          theta: -0.21,
          vega: 0.12,
          rho: type === "call" ? 0.05 : -0.04,
          phi: -0.05,
          bid_iv: untraded ? 0 : 0.25,
          mid_iv: untraded ? 0 : 0.26,
          ask_iv: untraded ? 0 : 0.27,
          smv_vol: 0.3,
          updated_at: "2024-06-20 14:59:05",
        },
      }
      : {}),
  };
}

function chainFor(symbol: string, expiration: string, greeks: boolean) {
  const sec = SECURITIES.find((s) => s.symbol === symbol);
  if (!sec || !EXPIRATIONS[symbol]?.includes(expiration)) return [];
  // MSFT's chain holds a single contract, to exercise the bare-object quirk (§3.2).
  if (symbol === "MSFT") return [option(sec, expiration, "call", 440, greeks)];
  return [200, 210, 220].flatMap((k) => [
    option(sec, expiration, "call", k, greeks),
    option(sec, expiration, "put", k, greeks),
  ]);
}

function stockQuote(sec: Security) {
  const last = round(sec.base + 1.84);
  const index = sec.type === "index";
  return {
    symbol: sec.symbol,
    description: sec.description,
    exch: sec.exchange,
    type: sec.type,
    last,
    change: 1.84,
    volume: index ? 0 : 31877410,
    open: round(sec.base + 0.4),
    high: round(sec.base + 2.5),
    low: round(sec.base - 0.7),
    close: null,
    bid: index ? 0.0 : round(last - 0.01),
    ask: index ? 0.0 : round(last + 0.01),
    change_percentage: round(1.84 / sec.base * 100),
    average_volume: 58210544,
    last_volume: 200,
    trade_date: 1718896201417,
    prevclose: sec.base,
    week_52_high: round(sec.base * 1.1),
    week_52_low: round(sec.base * 0.8),
    bidsize: index ? 0 : 3,
    bidexch: "Q",
    bid_date: 1718896201000,
    asksize: index ? 0 : 5,
    askexch: "P",
    ask_date: 1718896201000,
    root_symbols: sec.symbol,
  };
}

/** Stream payload builders with Tradier's field types (§5.4). */
const payloads = {
  quote: (symbol: string, bid: number, ask: number, at = Date.now()) => ({
    type: "quote",
    symbol,
    bid,
    bidsz: 6,
    bidexch: "Q",
    biddate: String(at),
    ask,
    asksz: 4,
    askexch: "P",
    askdate: String(at),
  }),
  trade: (symbol: string, price: number, size: number, cvol = 1000, at = Date.now()) => ({
    type: "trade",
    symbol,
    exch: "P",
    price: String(price),
    size: String(size),
    cvol: String(cvol),
    date: String(at),
    last: String(price),
  }),
  summary: (symbol: string, s: { open: number; high: number; low: number; prevClose: number }) => ({
    type: "summary",
    symbol,
    open: String(s.open),
    high: String(s.high),
    low: String(s.low),
    prevClose: String(s.prevClose),
  }),
  timesale: (symbol: string, last: number, size: number, at = Date.now()) => ({
    type: "timesale",
    symbol,
    exch: "Q",
    bid: String(round(last - 0.01)),
    ask: String(round(last + 0.01)),
    last: String(last),
    size: String(size),
    date: String(at),
    seq: 1,
    flag: "",
    cancel: false,
    correction: false,
    session: "normal",
  }),
};

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

// ---- The server ------------------------------------------------------------------------------

interface StreamConn {
  /** The session the connection was opened (WebSocket: first subscribed) with. */
  sessionid: string;
  symbols: Set<string>;
  filter: Set<string> | null;
  linebreak: boolean;
  send(text: string): void;
  close(): void;
}

/** The invented stocks' symbols, `count` of them: ZAAA, ZAAB, … */
export function fakeStockSymbols(count: number): string[] {
  const letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  return Array.from(
    { length: count },
    (_, i) =>
      "Z" + letters[Math.floor(i / 676) % 26] + letters[Math.floor(i / 26) % 26] + letters[i % 26],
  );
}

function addStocks(count: number): void {
  fakeStockSymbols(count).forEach((symbol, i) => {
    if (SECURITIES.some((s) => s.symbol === symbol)) return;
    SECURITIES.push({
      symbol,
      exchange: "N",
      type: "stock",
      description: `Invented stock ${symbol}`,
      base: 20 + ((i * 37) % 480),
    });
  });
}

/** Starts the fake on 127.0.0.1 at a free port. */
export function startFakeTradier(opts: FakeTradierOptions = {}): Promise<FakeTradier> {
  if (opts.stocks) addStocks(opts.stocks);
  const token = opts.token ?? `fake-${crypto.randomUUID()}`;
  const allowed = opts.rateLimit ?? 120;
  const windowMs = opts.rateWindowMs ?? 60_000;
  const sessionTtl = opts.sessionTtlMs ?? 5 * 60_000;
  const requests: FakeRequest[] = [];
  const faults: { fault: Fault; resetMs: number }[] = [];
  const sessions = new Map<string, { created: number; valid: boolean }>();
  let sessionCount = 0;
  let connectionsOpened = 0;
  let rejectNext = 0;
  const conns = new Set<StreamConn>();
  const hangs = new Set<() => void>();
  let connWatchers: (() => void)[] = [];
  let clock = { ...DEFAULT_CLOCK };
  let window = { start: 0, used: 0 };
  let forcedExpiry = 0;
  const ac = new AbortController();
  const days = opts.historyFrom ? historyDays(opts.historyFrom) : DAYS;
  const june0 = days.indexOf(JUNE_FIRST);

  const empty = opts.emptyAs === "string" ? "null" : null;
  const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
    new Response(JSON.stringify(body), {
      status,
      headers: { "content-type": "application/json", ...headers },
    });
  /** §3.2: one element ⇒ the bare element. */
  const oneOrMany = <T>(items: T[]) => (items.length === 1 ? items[0] : items);
  const connsChanged = () => {
    for (const w of connWatchers) w();
  };

  function rateHeaders(now: number): Record<string, string> {
    if (now - window.start >= windowMs) window = { start: now, used: 0 };
    window.used++;
    // A forced 429 (fail()) describes its own, shorter window.
    const expiry = forcedExpiry > now ? forcedExpiry : window.start + windowMs;
    const available = forcedExpiry > now ? 0 : Math.max(0, allowed - window.used);
    return {
      "X-Ratelimit-Allowed": String(allowed),
      "X-Ratelimit-Used": String(window.used),
      "X-Ratelimit-Available": String(available),
      "X-Ratelimit-Expiry": String(expiry),
    };
  }

  async function params(req: Request, url: URL): Promise<Record<string, string>> {
    const p = Object.fromEntries(url.searchParams);
    if (req.method === "POST") {
      const text = await req.text();
      if (text) Object.assign(p, Object.fromEntries(new URLSearchParams(text)));
    }
    return p;
  }

  function markets(path: string, p: Record<string, string>): Response {
    switch (path) {
      case "/v1/markets/quotes": {
        const symbols = (p.symbols ?? "").split(",").map((s) => s.trim()).filter(Boolean);
        if (symbols.length === 0) return new Response("Missing symbols", { status: 400 });
        const found: unknown[] = [];
        const unmatched: string[] = [];
        for (const s of symbols) {
          const sec = SECURITIES.find((x) => x.symbol === s);
          const opt = !sec && findOption(s, p.greeks === "true");
          if (sec) found.push(stockQuote(sec));
          else if (opt) found.push(opt);
          else unmatched.push(s);
        }
        const quotes: Record<string, unknown> = {};
        if (found.length) quotes.quote = oneOrMany(found);
        if (unmatched.length) quotes.unmatched_symbols = { symbol: oneOrMany(unmatched) };
        return json({ quotes });
      }
      case "/v1/markets/options/chains": {
        if (!p.symbol || !p.expiration) return new Response("Missing symbol", { status: 400 });
        const rows = chainFor(p.symbol, p.expiration, p.greeks === "true");
        return json({ options: rows.length ? { option: oneOrMany(rows) } : empty });
      }
      case "/v1/markets/options/expirations": {
        const dates = EXPIRATIONS[p.symbol ?? ""] ?? [];
        if (!dates.length) return json({ expirations: empty });
        const detailed = p.strikes === "true" || p.contractSize === "true" ||
          p.expirationType === "true";
        if (!detailed) return json({ expirations: { date: oneOrMany(dates) } });
        return json({
          expirations: {
            expiration: oneOrMany(dates.map((date) => ({
              date,
              ...(p.contractSize === "true" ? { contract_size: 100 } : {}),
              ...(p.expirationType === "true" ? { expiration_type: "standard" } : {}),
              ...(p.strikes === "true"
                ? {
                  strikes: {
                    strike: oneOrMany(
                      [...new Set(chainFor(p.symbol, date, false).map((o) => o.strike))],
                    ),
                  },
                }
                : {}),
            }))),
          },
        });
      }
      case "/v1/markets/options/strikes": {
        const strikes = [
          ...new Set(chainFor(p.symbol ?? "", p.expiration ?? "", false).map((o) => o.strike)),
        ];
        return json({ strikes: strikes.length ? { strike: oneOrMany(strikes) } : empty });
      }
      case "/v1/markets/options/lookup": {
        const dates = EXPIRATIONS[p.underlying ?? ""];
        if (!dates) return json({ symbols: empty });
        return json({
          symbols: [{
            rootSymbol: p.underlying,
            options: dates.flatMap((d) => chainFor(p.underlying, d, false).map((o) => o.symbol)),
          }],
        });
      }
      case "/v1/markets/history": {
        const sec = SECURITIES.find((s) => s.symbol === p.symbol);
        const interval = p.interval ?? "daily";
        if (!["daily", "weekly", "monthly"].includes(interval)) {
          return new Response("Invalid interval", { status: 400 });
        }
        const listed = sec ? opts.listings?.[sec.symbol] ?? "" : "";
        let rows = sec
          ? days.map((d, i) => dailyBar(sec, d, i - june0)).filter((d) =>
            d.date >= listed && (!p.start || d.date >= p.start) && (!p.end || d.date <= p.end)
          )
          : [];
        if (interval !== "daily") rows = aggregate(rows, interval);
        return json({ history: rows.length ? { day: oneOrMany(rows) } : empty });
      }
      case "/v1/markets/timesales": {
        const sec = SECURITIES.find((s) => s.symbol === p.symbol);
        const interval = p.interval ?? "tick";
        const size = { tick: 0, "1min": 1, "5min": 5, "15min": 15 }[interval];
        if (size === undefined) return new Response("Invalid interval", { status: 400 });
        const inRange = (time: string) => {
          const t = time.replace("T", " ").slice(0, 16);
          return (!p.start || t >= p.start) && (!p.end || t <= p.end);
        };
        let rows: Record<string, unknown>[] = [];
        if (sec) {
          rows = size === 0 ? ticks(sec) : groupMinutes(minuteBars(sec), size);
          rows = rows.filter((r) => inRange(r.time as string));
        }
        return json({ series: rows.length ? { data: oneOrMany(rows) } : empty });
      }
      case "/v1/markets/clock":
        return json({ clock });
      case "/v1/markets/calendar": {
        const month = Number(p.month ?? 6);
        const year = Number(p.year ?? 2024);
        return json({ calendar: { month, year, days: { day: calendarDays(month, year) } } });
      }
      case "/v1/markets/lookup": {
        const q = (p.q ?? "").toUpperCase();
        const types = p.types?.split(",");
        const hits = SECURITIES.filter((s) =>
          q && s.symbol.startsWith(q) && (!types || types.includes(s.type))
        );
        return json({ securities: hits.length ? { security: oneOrMany(hits.map(sec)) } : empty });
      }
      case "/v1/markets/search": {
        const q = (p.q ?? "").toLowerCase();
        const hits = SECURITIES.filter((s) =>
          q && s.description.toLowerCase().includes(q) &&
          (p.indexes !== "false" || s.type !== "index")
        );
        return json({ securities: hits.length ? { security: oneOrMany(hits.map(sec)) } : empty });
      }
      case "/v1/markets/events/session": {
        const sessionid = crypto.randomUUID();
        // §4.12: one streaming session per user at a time, so a new one ends the old ones and
        // the connections that use them (the fake serves a single token, i.e. a single user).
        for (const s of sessions.values()) s.valid = false;
        for (const c of [...conns]) c.close();
        sessions.set(sessionid, { created: Date.now(), valid: true });
        sessionCount++;
        return json({ stream: { url: streamUrl, sessionid } });
      }
    }
    return new Response("Not found", { status: 404 });
  }

  function sessionOk(id: unknown): boolean {
    if (rejectNext > 0) {
      rejectNext--;
      return false;
    }
    const s = typeof id === "string" ? sessions.get(id) : undefined;
    return !!s && s.valid && Date.now() - s.created < sessionTtl;
  }

  function invalidSymbol(symbols: string[]): string | undefined {
    return symbols.find((s) => !SECURITIES.some((x) => x.symbol === s) && !findOption(s, false));
  }

  function webSocket(req: Request): Response {
    const { socket, response } = Deno.upgradeWebSocket(req);
    connectionsOpened++;
    let conn: StreamConn | undefined;
    socket.onmessage = (e) => {
      let msg: Record<string, unknown>;
      try {
        msg = JSON.parse(String(e.data));
      } catch {
        socket.send(JSON.stringify({ error: "invalid payload" }));
        return;
      }
      // §5.2 step 5: a resubscription must carry the socket's own session id.
      const ok = sessionOk(msg.sessionid) && (!conn || conn.sessionid === msg.sessionid);
      requests.push({
        method: "WS",
        path: "/v1/markets/events",
        params: { symbols: String(msg.symbols), sessionid: String(msg.sessionid) },
        authorized: ok,
        at: Date.now(),
      });
      if (!ok) {
        socket.send(JSON.stringify({ error: "invalid session" }));
        return;
      }
      const symbols = Array.isArray(msg.symbols) ? msg.symbols.map(String) : [];
      const bad = invalidSymbol(symbols);
      if (bad) {
        socket.send(JSON.stringify({ error: `${bad} is not a valid symbol` }));
        return;
      }
      const filter = Array.isArray(msg.filter) ? new Set(msg.filter.map(String)) : null;
      // Resubscribing on the same socket replaces the subscription (§5.2 step 5).
      if (conn) conns.delete(conn);
      conn = {
        sessionid: String(msg.sessionid),
        symbols: new Set(symbols),
        filter,
        linebreak: msg.linebreak === true,
        send: (text) => socket.readyState === WebSocket.OPEN && socket.send(text),
        close() {
          // Unsubscribed at once, not only when the close handshake completes.
          conns.delete(this);
          connsChanged();
          socket.close();
        },
      };
      conns.add(conn);
      connsChanged();
    };
    socket.onclose = () => {
      if (conn) conns.delete(conn);
      conn = undefined;
      connsChanged();
    };
    return response;
  }

  function httpStream(p: Record<string, string>): Response {
    if (!sessionOk(p.sessionid)) return json({ error: "invalid session" }, 400);
    const symbols = (p.symbols ?? "").split(",").filter(Boolean);
    const bad = invalidSymbol(symbols);
    if (bad) return json({ error: `${bad} is not a valid symbol` }, 400);
    const encoder = new TextEncoder();
    connectionsOpened++;
    let conn: StreamConn;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        conn = {
          sessionid: p.sessionid,
          symbols: new Set(symbols),
          filter: p.filter ? new Set(p.filter.split(",")) : null,
          linebreak: p.linebreak === "true",
          send: (text) => controller.enqueue(encoder.encode(text)),
          close: () => {
            conns.delete(conn);
            connsChanged();
            try {
              controller.close();
            } catch { /* already closed */ }
          },
        };
        conns.add(conn);
        connsChanged();
      },
      cancel() {
        conns.delete(conn);
        connsChanged();
      },
    });
    return new Response(body, { headers: { "content-type": "application/json" } });
  }

  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    signal: ac.signal,
    onListen: () => {},
  }, async (req) => {
    const url = new URL(req.url);
    const path = url.pathname;
    if (path === "/v1/markets/events" && req.headers.get("upgrade") === "websocket") {
      return webSocket(req);
    }
    const auth = req.headers.get("authorization");
    const authorized = auth === `Bearer ${token}`;
    const p = await params(req, url);
    requests.push({ method: req.method, path, params: p, authorized, at: Date.now() });
    if (path === "/v1/markets/events") {
      // §5.1: the session id authenticates; a bearer header is accepted but not required.
      return httpStream(p);
    }
    if (!authorized) {
      return json({
        fault: {
          faultstring: "Invalid Access Token",
          detail: { errorcode: "keymanagement.service.invalid_access_token" },
        },
      }, 401);
    }
    if (!(req.headers.get("accept") ?? "").includes("application/json")) {
      // The real API would answer XML (§2); the fake refuses so a missing header is caught.
      return new Response("<error>Accept: application/json required</error>", { status: 406 });
    }
    const now = Date.now();
    const fault = faults.shift();
    if (fault?.fault === "hang") {
      await new Promise<void>((resolve) => {
        const done = () => {
          hangs.delete(done);
          resolve();
        };
        hangs.add(done);
        req.signal.addEventListener("abort", done, { once: true });
      });
      return new Response("too late", { status: 504 });
    }
    if (fault?.fault === 429) forcedExpiry = now + fault.resetMs;
    const headers = rateHeaders(now);
    if (fault?.fault === 429 || window.used > allowed) {
      return json({ fault: { faultstring: "Quota Violation" } }, 429, {
        ...headers,
        "X-Ratelimit-Available": "0",
      });
    }
    if (fault) return json({ fault: { faultstring: "Internal error" } }, fault.fault as number);
    const res = markets(path, p);
    for (const [k, v] of Object.entries(headers)) res.headers.set(k, v);
    return res;
  });

  const base = `http://127.0.0.1:${server.addr.port}`;
  const streamUrl = `${base}/v1/markets/events`;

  return Promise.resolve({
    url: `${base}/v1`,
    wsUrl: `ws://127.0.0.1:${server.addr.port}/v1/markets/events`,
    streamUrl,
    token,
    requests,
    payloads,
    fail(n, fault, o = {}) {
      for (let i = 0; i < n; i++) faults.push({ fault, resetMs: o.resetMs ?? 200 });
    },
    setClock(c) {
      clock = { ...clock, ...c };
    },
    emit(payload) {
      let sent = 0;
      for (const c of conns) {
        if (!c.symbols.has(payload.symbol)) continue;
        const type = payload.type === "tradex" ? "tradex" : payload.type;
        if (c.filter && !c.filter.has(type)) continue;
        c.send(JSON.stringify(payload) + (c.linebreak ? "\n" : ""));
        sent++;
      }
      return sent;
    },
    streamClients: () => conns.size,
    waitForStreamClients(n, timeoutMs = 5000) {
      if (conns.size === n) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          connWatchers = connWatchers.filter((w) => w !== check);
          reject(new Error(`fake Tradier: ${conns.size} stream clients, waited for ${n}`));
        }, timeoutMs);
        const check = () => {
          if (conns.size !== n) return;
          clearTimeout(timer);
          connWatchers = connWatchers.filter((w) => w !== check);
          resolve();
        };
        connWatchers.push(check);
      });
    },
    dropStreams() {
      for (const c of [...conns]) c.close();
    },
    expireSessions() {
      for (const s of sessions.values()) s.valid = false;
    },
    rejectSessions(n) {
      rejectNext += n;
    },
    sessionsCreated: () => sessionCount,
    streamConnectionsOpened: () => connectionsOpened,
    async close() {
      for (const c of [...conns]) c.close();
      for (const h of [...hangs]) h();
      ac.abort();
      await server.finished;
    },
  });
}

function sec(s: Security) {
  return { symbol: s.symbol, exchange: s.exchange, type: s.type, description: s.description };
}

function findOption(symbol: string, greeks: boolean) {
  for (const [root, dates] of Object.entries(EXPIRATIONS)) {
    for (const d of dates) {
      const hit = chainFor(root, d, greeks).find((o) => o.symbol === symbol);
      if (hit) return hit;
    }
  }
  return undefined;
}

function aggregate(days: ReturnType<typeof dailyBar>[], interval: string) {
  const groups = new Map<string, ReturnType<typeof dailyBar>[]>();
  for (const d of days) {
    let key = d.date.slice(0, 7) + "-01";
    if (interval === "weekly") {
      const t = new Date(`${d.date}T12:00:00Z`);
      t.setUTCDate(t.getUTCDate() - ((t.getUTCDay() + 6) % 7)); // Monday of its week
      key = t.toISOString().slice(0, 10);
    }
    groups.set(key, [...groups.get(key) ?? [], d]);
  }
  return [...groups].map(([date, g]) => ({
    date,
    open: g[0].open,
    high: Math.max(...g.map((x) => x.high)),
    low: Math.min(...g.map((x) => x.low)),
    close: g[g.length - 1].close,
    volume: g.reduce((a, x) => a + x.volume, 0),
  }));
}

function groupMinutes(rows: ReturnType<typeof minuteBars>, size: number) {
  if (size === 1) return rows;
  const out = [];
  for (let i = 0; i < rows.length; i += size) {
    const g = rows.slice(i, i + size);
    out.push({
      ...g[0],
      high: Math.max(...g.map((x) => x.high)),
      low: Math.min(...g.map((x) => x.low)),
      close: g[g.length - 1].close,
      price: g[g.length - 1].close,
      volume: g.reduce((a, x) => a + x.volume, 0),
    });
  }
  return out;
}

function calendarDays(month: number, year: number) {
  const days = [];
  const count = new Date(Date.UTC(year, month, 0)).getUTCDate();
  for (let d = 1; d <= count; d++) {
    const date = `${year}-${String(month).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
    const wd = new Date(`${date}T12:00:00Z`).getUTCDay();
    if (date === "2024-06-19") {
      days.push({ date, status: "closed", description: "Market is closed for Juneteenth" });
    } else if (wd === 0 || wd === 6) {
      days.push({ date, status: "closed", description: "Market is closed" });
    } else {
      days.push({
        date,
        status: "open",
        description: "Market is open",
        premarket: { start: "07:00", end: "09:24" },
        open: { start: "09:30", end: "16:00" },
        postmarket: { start: "16:00", end: "19:55" },
      });
    }
  }
  return days;
}
