/**
 * A FAKE Alpaca Trading API (paper) server for tests, on 127.0.0.1, following
 * ../shared/api-contracts/alpaca.md: key-pair auth (§2), account (§4), simple orders with the
 * §5.2 validation matrix, client_order_id uniqueness kept forever (§5.7), replace and cancel
 * (§5.6, §5.10–11), positions (§6), FILL activities (§7), portfolio history (§8), clock (§9),
 * assets (§10), error bodies (§12) and rate limits (§13). The brokerage itself is in
 * `alpaca_model.ts`.
 *
 * Its main job is fault injection for the client's "never two orders" logic: a fault can strike
 * before the request is handled (`500`, `"hang"`, …) or after the order was already stored
 * (`"500-after-commit"`, `"hang-after-commit"`, `"late"`, `"drop-after-commit"`).
 *
 * ```ts
 * const fake = await startFakeAlpaca({ cash: 50_000 });
 * fake.setPrice("AAPL", 190.12);
 * fake.fail(1, "500-after-commit", { method: "POST", path: "/v2/orders" });
 * // the client's POST stores the order, then sees a 500; its retry must not create a second one
 * await fake.close();
 * ```
 *
 * Options (§5.2, §6, §7; rules in `alpaca_options.ts`): single contracts by OCC symbol and
 * `mleg` orders of up to four legs, day only, market or limit, filled at quotes the test sets
 * (`setOptionQuote`), all legs of an mleg at once; the account's `options_trading_level`
 * refuses with 403; `expireOption` writes the expiry, exercise and assignment activities.
 *
 * Not modelled: bracket/OCO/OTO orders (422), crypto, the calendar, day-order expiry, margin
 * (multiplier 1: buying power = cash less open buy orders and what option orders hold), and
 * replacing an mleg order.
 *
 * @module
 */

import {
  ApiError,
  assetJson,
  Broker,
  type FillMode,
  invalid,
  notFound,
  orderJson,
} from "./alpaca_model.ts";

export type { FillMode } from "./alpaca_model.ts";

export interface FakeAlpacaOptions {
  /** Key pair the fake accepts. Default random ones. */
  keyId?: string;
  secretKey?: string;
  /** Starting cash, also the first equity point. Default 100000. */
  cash?: number;
  /** Yesterday's closing equity (`last_equity`, history `base_value`). Default = cash. */
  lastEquity?: number;
  /** Whether a sell from flat may open a short. Default false. */
  shortingEnabled?: boolean;
  /**
   * `options_trading_level` (§4): 0 no options, 1 covered calls and cash-secured puts, 2 + buying
   * calls and puts, 3 + multi-leg orders. Default 3.
   */
  optionsLevel?: number;
  /** Starting option quotes by OCC symbol (see `setOptionQuote`). */
  optionQuotes?: Record<string, { bid: number | null; ask: number | null }>;
  /** Starting prices; these symbols (plus any later `setPrice`) are the known assets. */
  prices?: Record<string, number>;
  /** Full bid/ask spread: buys fill at price + spread/2, sells at price − spread/2. Default 0. */
  spread?: number;
  /**
   * `"immediate"` (default): market orders fill on arrival, resting orders become `new`.
   * `"accepted"`: every order stays `accepted` until `fillOrder` / `fillAll`.
   */
  fillMode?: FillMode;
  /** Requests per rate-limit window before 429 (§13). Default 200. */
  rateLimit?: number;
  /** Length of a rate-limit window. Default 60 s. */
  rateWindowMs?: number;
  /** How late a `"late"` fault answers. Default 2000 ms. */
  delayMs?: number;
}

export interface FakeRequest {
  method: string;
  /** Path name, e.g. `/v2/orders` or `/v2/orders:by_client_order_id`. */
  path: string;
  query: Record<string, string>;
  /** The parsed JSON body, the raw text if it was not JSON, or null when empty. */
  body: unknown;
  authorized: boolean;
  at: number;
  /** Status answered (undefined while in flight, or when hung or dropped). */
  status?: number;
  /** The injected fault this request met, if any. */
  fault?: Fault;
}

/**
 * Before the request is handled: `500`…`504` (error answer), `404` (a lookup that lags the
 * order book), `429` (exhausted rate limit),
 * `"hang"` (no answer until the client aborts or the fake closes), `"drop"` (status line, then the
 * connection breaks mid-body). After it was handled (a POST's order is stored): the
 * `*-after-commit` variants, and `"late"` (the real answer, `delayMs` late).
 */
export type Fault =
  | 404
  | 500
  | 502
  | 503
  | 504
  | 429
  | "hang"
  | "drop"
  | "late"
  | "500-after-commit"
  | "502-after-commit"
  | "503-after-commit"
  | "504-after-commit"
  | "hang-after-commit"
  | "drop-after-commit";

export interface FaultOptions {
  /** Only requests with this method count (e.g. "POST"). */
  method?: string;
  /** Only requests whose path starts with this (e.g. "/v2/orders"). */
  path?: string;
  /** For `"late"`: overrides the `delayMs` option. */
  delayMs?: number;
  /** For `429`: when the exhausted window resets. Default 1000 ms. */
  resetMs?: number;
}

export interface Clock {
  timestamp: string;
  is_open: boolean;
  next_open: string;
  next_close: string;
}

export interface FakeAlpaca {
  /** Host base like `ALPACA_BASE_URL` (paths add `/v2/...`). */
  url: string;
  keyId: string;
  secretKey: string;
  /** Headers that authenticate a request. */
  headers: Record<string, string>;
  /** Every request received, in order. */
  requests: FakeRequest[];
  /** The next `n` requests (matching `opts.method` / `opts.path` if given) meet `fault`. */
  fail(n: number, fault: Fault, opts?: FaultOptions): void;
  /** Sets a symbol's price (adding it as a known asset) and fills resting orders it crosses. */
  setPrice(symbol: string, price: number, opts?: { lastday?: number }): void;
  /**
   * Sets an option contract's quote (adding it as a known contract): option buys fill at the ask,
   * sells at the bid, positions are marked at the mid; resting option orders it crosses fill.
   * A null side has no market: orders needing it wait.
   */
  setOptionQuote(symbol: string, quote: { bid: number | null; ask: number | null }): void;
  /** Changes the account's `options_trading_level`. */
  setOptionsLevel(level: number): void;
  /**
   * The close of `symbol`'s expiration day: exercise, assignment or expiry against the
   * underlying's price (or `underlyingClose`), written as OPEXC/OPASN/OPEXP (+ OPTRD)
   * activities, which it returns.
   */
  expireOption(symbol: string, opts?: { underlyingClose?: number }): Record<string, unknown>[];
  /** Overrides clock fields; opening the market processes orders waiting in `accepted`. */
  setClock(clock: Partial<Clock>): void;
  setFillMode(mode: FillMode): void;
  /** Fills an open order now (all that remains unless `qty`), at `price` or the market price. */
  fillOrder(id: string, opts?: { qty?: number; price?: number }): Record<string, unknown>;
  /** Processes every `accepted` order: market orders fill, others rest or fill if crossed. */
  fillAll(): number;
  /** Every order ever stored, oldest first, as the API writes them. */
  orders(): Record<string, unknown>[];
  positions(): Record<string, unknown>[];
  account(): Record<string, unknown>;
  close(): Promise<void>;
}

const FAULT_BODIES: Record<number, string> = {
  // A lookup that lags Alpaca's order book: the order exists but is not found yet.
  404: JSON.stringify({ code: 40410000, message: "order not found" }),
  500: JSON.stringify({ code: 50010000, message: "internal server error" }),
  // Gateway errors come from the proxy in front of the API, not as Alpaca JSON.
  502: "<html><body><h1>502 Bad Gateway</h1></body></html>",
  503: "<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>",
  504: "<html><body><h1>504 Gateway Time-out</h1></body></html>",
};

function faultResponse(status: number): Response {
  const type = status === 500 || status === 404 ? "application/json" : "text/html";
  return new Response(FAULT_BODIES[status], { status, headers: { "content-type": type } });
}

const DEFAULT_PRICES = { AAPL: 190, MSFT: 440, SPY: 550, QQQ: 480, TSLA: 180, NVDA: 120 };

/** Starts the fake on 127.0.0.1 at a free port. */
export function startFakeAlpaca(opts: FakeAlpacaOptions = {}): Promise<FakeAlpaca> {
  const keyId = opts.keyId ??
    `PK${crypto.randomUUID().replaceAll("-", "").slice(0, 18).toUpperCase()}`;
  const secretKey = opts.secretKey ?? crypto.randomUUID().replaceAll("-", "");
  const allowed = opts.rateLimit ?? 200;
  const windowMs = opts.rateWindowMs ?? 60_000;
  const cash = opts.cash ?? 100_000;
  const broker = new Broker({
    cash,
    lastEquity: opts.lastEquity ?? cash,
    shortingEnabled: opts.shortingEnabled ?? false,
    optionsLevel: opts.optionsLevel ?? 3,
    spread: opts.spread ?? 0,
    prices: opts.prices ?? DEFAULT_PRICES,
    fillMode: opts.fillMode ?? "immediate",
  });
  for (const [symbol, q] of Object.entries(opts.optionQuotes ?? {})) {
    broker.setOptionQuote(symbol, q.bid, q.ask);
  }
  const requests: FakeRequest[] = [];
  const faults: { left: number; fault: Fault; opts: FaultOptions }[] = [];
  /** Releases every hung or delayed handler, for close(). */
  const waiting = new Set<() => void>();
  let clockOverride: Partial<Clock> = {};
  let window = { start: 0, used: 0 };
  const ac = new AbortController();

  const json = (body: unknown, status = 200) =>
    new Response(JSON.stringify(body), {
      status,
      headers: { "content-type": "application/json" },
    });

  function takeFault(method: string, path: string) {
    const i = faults.findIndex((f) =>
      (!f.opts.method || f.opts.method.toUpperCase() === method) &&
      (!f.opts.path || path.startsWith(f.opts.path))
    );
    if (i < 0) return undefined;
    const f = faults[i];
    if (--f.left <= 0) faults.splice(i, 1);
    return f;
  }

  /** Counts the request in the fixed window and returns the §13 headers. */
  function rate(now: number) {
    if (now - window.start >= windowMs) window = { start: now, used: 0 };
    window.used++;
    return {
      limited: window.used > allowed,
      headers: {
        "X-Ratelimit-Limit": String(allowed),
        "X-Ratelimit-Remaining": String(Math.max(0, allowed - window.used)),
        "X-Ratelimit-Reset": String(Math.ceil((window.start + windowMs) / 1000)),
      },
    };
  }

  /** Resolves after `ms` (forever when undefined), when the client gives up, or on close(). */
  function wait(req: Request, ms?: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        waiting.delete(done);
        clearTimeout(timer);
        // Deno aborts the signal after a successful answer too; stop listening before that.
        req.signal.removeEventListener("abort", done);
        resolve();
      };
      const timer = ms === undefined ? undefined : setTimeout(done, ms);
      waiting.add(done);
      req.signal.addEventListener("abort", done, { once: true });
    });
  }

  /** Sends a status line and half a body, then breaks the connection. */
  function dropped(): Response {
    // A body shorter than its declared length makes the server cut the connection without
    // the stack trace an erroring stream would print.
    return new Response('{"id":"', {
      headers: { "content-type": "application/json", "content-length": "4096" },
    });
  }

  function clock(): Clock {
    // The fake's exchange is always on EDT (UTC−4).
    const now = Date.now();
    const et = new Date(now - 4 * 3_600_000);
    const day = et.toISOString().slice(0, 10);
    const next = new Date(et.getTime() + 86_400_000);
    while (next.getUTCDay() === 0 || next.getUTCDay() === 6) next.setUTCDate(next.getUTCDate() + 1);
    const frac = String(now % 1000).padStart(3, "0") + "000000";
    return {
      timestamp: `${et.toISOString().slice(0, 19)}.${frac}-04:00`,
      is_open: true,
      next_open: `${next.toISOString().slice(0, 10)}T09:30:00-04:00`,
      next_close: `${day}T16:00:00-04:00`,
      ...clockOverride,
    };
  }

  function route(method: string, path: string, q: URLSearchParams, body: unknown): Response {
    const allow = (...methods: string[]) => {
      if (!methods.includes(method)) {
        throw new ApiError(405, { code: 40510000, message: "method not allowed" });
      }
    };
    let m: RegExpExecArray | null;
    if (path === "/v2/account") {
      allow("GET");
      return json(broker.accountJson());
    }
    if ((m = /^\/v2\/account\/activities(?:\/([^/]+))?$/.exec(path))) {
      allow("GET");
      return json(broker.activities(m[1] ? decodeURIComponent(m[1]) : null, q));
    }
    if (path === "/v2/account/portfolio/history") {
      allow("GET");
      return json(broker.portfolioHistory(q));
    }
    if (path === "/v2/clock") {
      allow("GET");
      return json(clock());
    }
    if (path === "/v2/orders") {
      allow("GET", "POST", "DELETE");
      if (method === "POST") return json(orderJson(broker.placeOrder(body)));
      if (method === "DELETE") return json(broker.cancelAll(), 207);
      return json(broker.listOrdersJson(q));
    }
    if (path === "/v2/orders:by_client_order_id") {
      allow("GET");
      const id = q.get("client_order_id");
      if (!id) throw invalid("client_order_id is missing");
      return json(orderJson(broker.orderByClientId(id)));
    }
    if ((m = /^\/v2\/orders\/([^/]+)$/.exec(path))) {
      allow("GET", "PATCH", "DELETE");
      const id = decodeURIComponent(m[1]);
      if (method === "PATCH") return json(orderJson(broker.replaceOrder(id, body)));
      if (method === "DELETE") {
        broker.cancelOrder(id);
        return new Response(null, { status: 204 });
      }
      return json(orderJson(broker.order(id)));
    }
    if (path === "/v2/positions") {
      allow("GET", "DELETE");
      if (method === "DELETE") return json(broker.closeAll(q), 207);
      return json(broker.positionsJson());
    }
    if ((m = /^\/v2\/positions\/([^/]+)$/.exec(path))) {
      allow("GET", "DELETE");
      const symbol = decodeURIComponent(m[1]);
      if (method === "DELETE") return json(orderJson(broker.closePosition(symbol, q)));
      return json(broker.positionJson(symbol));
    }
    if (path === "/v2/assets") {
      allow("GET");
      return json(broker.symbols().map(assetJson));
    }
    if ((m = /^\/v2\/assets\/([^/]+)$/.exec(path))) {
      allow("GET");
      const symbol = decodeURIComponent(m[1]);
      const known = broker.symbols().find((s) => s === symbol || assetJson(s).id === symbol);
      if (!known) throw notFound("asset not found");
      return json(assetJson(known));
    }
    throw notFound("endpoint not found");
  }

  async function readBody(req: Request): Promise<{ value: unknown; malformed: boolean }> {
    const text = await req.text();
    if (!text) return { value: null, malformed: false };
    try {
      return { value: JSON.parse(text), malformed: false };
    } catch {
      return { value: text, malformed: true };
    }
  }

  async function handle(req: Request, entry: FakeRequest, body: unknown): Promise<Response> {
    const now = Date.now();
    const { limited, headers } = rate(now);
    const withHeaders = (res: Response, h = headers) => {
      for (const [k, v] of Object.entries(h)) res.headers.set(k, v);
      return res;
    };
    if (!entry.authorized) {
      return withHeaders(json({ code: 40110000, message: "request is not authorized" }, 401));
    }
    const f = takeFault(entry.method, entry.path);
    const fault = f?.fault;
    entry.fault = fault;
    if (fault === 429 || (limited && fault === undefined)) {
      const reset = fault === 429 ? Math.ceil((now + (f?.opts.resetMs ?? 1000)) / 1000) : undefined;
      return withHeaders(json({ code: 42910000, message: "rate limit exceeded" }, 429), {
        ...headers,
        "X-Ratelimit-Remaining": "0",
        ...(reset ? { "X-Ratelimit-Reset": String(reset) } : {}),
      });
    }
    if (typeof fault === "number") {
      return withHeaders(faultResponse(fault));
    }
    if (fault === "hang") {
      await wait(req);
      return new Response(null, { status: 504 });
    }
    if (fault === "drop") return dropped();

    let res: Response;
    try {
      if (body === undefined) {
        throw new ApiError(400, { code: 40010000, message: "request body format is invalid" });
      }
      res = route(entry.method, entry.path, new URL(req.url).searchParams, body);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      res = json(e.body, e.status);
    }
    withHeaders(res);

    switch (fault) {
      case "late":
        await wait(req, f?.opts.delayMs ?? opts.delayMs ?? 2000);
        return res;
      case "hang-after-commit":
        await wait(req);
        return new Response(null, { status: 504 });
      case "drop-after-commit":
        return dropped();
      case "500-after-commit":
      case "502-after-commit":
      case "503-after-commit":
      case "504-after-commit": {
        const status = Number(fault.slice(0, 3));
        return withHeaders(faultResponse(status));
      }
    }
    return res;
  }

  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    signal: ac.signal,
    onListen: () => {},
  }, async (req) => {
    const url = new URL(req.url);
    const { value, malformed } = await readBody(req);
    const entry: FakeRequest = {
      method: req.method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body: value,
      authorized: req.headers.get("apca-api-key-id") === keyId &&
        req.headers.get("apca-api-secret-key") === secretKey,
      at: Date.now(),
    };
    requests.push(entry);
    // A body that is not JSON reaches the router as undefined, which answers 400.
    const res = await handle(req, entry, malformed ? undefined : value);
    if (
      !entry.fault?.toString().startsWith("hang") && !entry.fault?.toString().startsWith("drop")
    ) {
      entry.status = res.status;
    }
    return res;
  });

  const fake: FakeAlpaca = {
    url: `http://127.0.0.1:${server.addr.port}`,
    keyId,
    secretKey,
    headers: { "APCA-API-KEY-ID": keyId, "APCA-API-SECRET-KEY": secretKey },
    requests,
    fail(n, fault, o = {}) {
      if (n > 0) faults.push({ left: n, fault, opts: o });
    },
    setPrice: (symbol, price, o) => broker.setPrice(symbol, price, o?.lastday),
    setOptionQuote: (symbol, q) => broker.setOptionQuote(symbol, q.bid, q.ask),
    setOptionsLevel(level) {
      broker.optionsLevel = level;
    },
    expireOption: (symbol, o) => broker.expireOption(symbol, o?.underlyingClose),
    setClock(c) {
      clockOverride = { ...clockOverride, ...c };
      broker.marketOpen = clock().is_open;
      if (broker.marketOpen && broker.fillMode === "immediate") fake.fillAll();
    },
    setFillMode(mode) {
      broker.fillMode = mode;
    },
    fillOrder: (id, o = {}) => orderJson(broker.forceFill(id, o.qty, o.price)),
    fillAll() {
      const waitingOrders = broker.orders.filter((o) => o.status === "accepted");
      for (const o of waitingOrders) broker.process(o);
      return waitingOrders.length;
    },
    orders: () => broker.orders.map((o) => orderJson(o)),
    positions: () => broker.positionsJson(),
    account: () => broker.accountJson(),
    async close() {
      for (const w of [...waiting]) w();
      ac.abort();
      await server.finished;
    },
  };
  return Promise.resolve(fake);
}
