/**
 * `/api/stream`: live quotes, fanned out by the app's StreamHub (one upstream subscription per
 * symbol, shared by every client; a slow client gets the newest quote, never a backlog).
 *
 * - `GET /quotes?symbols=AAPL,SPX[&notifications=1]` — server-sent events. First a `ready` event, then `quote`
 *   (data: a Quote) and `trade` events, each with an `id`; a reconnecting client's
 *   `Last-Event-ID` (or `?lastEventId=`) resumes after what it saw. A comment line every 15 s
 *   keeps proxies from closing an idle connection. Malformed symbols → 400, unknown → 404,
 *   before the stream starts. Each update is serialised once for all clients
 *   (`lib/market/sse_stream.ts`). With `notifications=1` (signed in only; `symbols` may then be
 *   empty) the same connection carries the user's notifications: an `unread` event
 *   (`{unread, toastKinds}`) at once, then a `notification` event (`{notification, unread}`) for each new
 *   one, so a page needs no second connection for its bell.
 * - `GET /ws` — WebSocket (403 `origin_refused` when a browser's `Origin` is another site that
 *   CORS_ORIGINS does not list). Send `{"action":"subscribe","symbols":["AAPL"]}` or
 *   `{"action":"unsubscribe","symbols":[...]}`; receive `{"type":"subscribed","symbols":[...]}`,
 *   `{"type":"quote","id","data"}`, `{"type":"trade","id","data"}`, `{"type":"heartbeat"}` and
 *   `{"type":"error","error":{code,message,details}}` (the socket stays open after an error).
 *   Each socket may send `WS_BURST` messages at once, refilled at one per `WS_REFILL_MS`; more
 *   get `rate_limited`, and a client that keeps sending while limited is disconnected (1008).
 *   A socket follows at most `MAX_SYMBOLS` symbols (`too_many_symbols` beyond).
 */
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../lib/state.ts";
import { originAllowed } from "../../lib/auth/csrf.ts";
import { BadRequestError, HttpError, toErrorBody } from "../../lib/http/errors.ts";
import { fromMarket } from "../../lib/market/api.ts";
import { sseStream } from "../../lib/market/sse_stream.ts";
import { eventPayload, type HubClient, type HubEvent } from "../../lib/market/stream_hub.ts";
import { checkSymbol, MAX_SYMBOLS, symbolListSchema } from "../../lib/market/symbols.ts";
import type { MarketData } from "../../lib/market/types.ts";
import { unreadCount } from "../../lib/notifications/repo.ts";
import { getSettings } from "../../lib/settings.ts";
import { describeRoutes } from "../../lib/http/openapi/mod.ts";

const stream = new Hono<AppEnv>();

/** What a client receives for one update. */
const payload: (e: HubEvent) => unknown = eventPayload;

/**
 * Unknown symbols answer 404 before a stream starts. Each symbol is checked through its own
 * cached quote (5 s), so clients asking for different mixes of the same symbols share cache
 * entries and upstream calls instead of each mix becoming a new one.
 */
async function assertKnown(market: MarketData, symbols: string[]): Promise<void> {
  await Promise.all(symbols.map((s) => fromMarket(() => market.quotes([s]))));
}

/** Messages a socket may send in a burst; the bucket refills one token per `WS_REFILL_MS`. */
export const WS_BURST = 10;
export const WS_REFILL_MS = 1_000;
/** Rate-limited messages in a row after which the socket is closed. */
export const WS_MAX_STRIKES = 20;

/** A token bucket for one socket's messages. */
class MessageBucket {
  #tokens = WS_BURST;
  #at = Date.now();

  take(): boolean {
    const now = Date.now();
    this.#tokens = Math.min(WS_BURST, this.#tokens + (now - this.#at) / WS_REFILL_MS);
    this.#at = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}

const notificationsFlag = z.enum(["0", "1"]).optional();

/** One SSE frame; `JSON.stringify` escapes line breaks, so the data fits on one line. */
function frame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

// The query as the handler below reads it, field by field: symbols may be empty only with
// notifications=1.
const quotesQuery = z.object({
  symbols: z.string().optional(),
  notifications: notificationsFlag,
  lastEventId: z.string().optional(),
}).superRefine((q, ctx) => {
  if (q.notifications === "1" && (q.symbols ?? "").trim() === "") return;
  const parsed = symbolListSchema.safeParse(q.symbols ?? "");
  if (!parsed.success) {
    ctx.addIssue({ code: "custom", path: ["symbols"], message: parsed.error.issues[0].message });
  }
});

describeRoutes(stream, "Streaming", {
  "GET /quotes": {
    summary: "Live quotes (and the caller's notifications) as server-sent events",
    description: "A `ready` event, then `quote` and `trade` events with ids; `Last-Event-ID` " +
      "(or `lastEventId`) resumes. With `notifications=1`, `unread` and `notification` events too.",
    query: quotesQuery,
    queryExample: { symbols: "AAPL,SPX" },
    responses: {
      200: { description: "The event stream", contentType: "text/event-stream" },
      400: "`invalid_symbol`, `invalid_query`",
      404: "Unknown symbol",
    },
  },
  "GET /ws": {
    summary: "Live quotes over a WebSocket",
    description: 'Send `{"action":"subscribe","symbols":["AAPL"]}` or `unsubscribe`; receive ' +
      "`subscribed`, `quote`, `trade`, `heartbeat` and `error` messages.",
    responses: {
      101: { description: "Switching to the WebSocket protocol", contentType: "websocket" },
      400: "Not a WebSocket upgrade",
      403: "`origin_refused`",
    },
  },
});

stream.get("/quotes", async (c) => {
  const flag = notificationsFlag.safeParse(c.req.query("notifications"));
  if (!flag.success) {
    throw new BadRequestError("notifications is 0 or 1.", undefined, "invalid_query");
  }
  const user = c.get("state").user;
  if (flag.data === "1" && !user) {
    throw new HttpError(401, "unauthorized", "Sign in to receive notifications.");
  }
  const withNotifications = flag.data === "1" && user !== undefined;
  const rawSymbols = c.req.query("symbols") ?? "";
  const parsed = withNotifications && rawSymbols.trim() === ""
    ? { success: true as const, data: [] as string[] }
    : symbolListSchema.safeParse(rawSymbols);
  if (!parsed.success) {
    throw new BadRequestError(parsed.error.issues[0].message, undefined, "invalid_symbol");
  }
  const symbols = parsed.data;
  const { market, streams: hub, notifications, db } = c.get("services");
  await assertKnown(market, symbols);
  const lastEventId = c.req.header("Last-Event-ID") ?? c.req.query("lastEventId") ?? null;

  const headers = {
    "Content-Type": "text/event-stream",
    "Cache-Control": "no-cache",
    "Connection": "keep-alive",
  };
  // Hono answers HEAD by running GET and dropping the body uncancelled: a stream built for it
  // would never end and keep its hub client (and upstream subscription) forever.
  if (c.req.method === "HEAD") return c.body(null, 200, headers);

  const { heartbeatMs, source } = hub;
  const ready = JSON.stringify({ symbols, source, timestamp: new Date().toISOString() });
  // The unread count as the stream opens; later ones come with each new notification.
  const [unread, settings] = withNotifications
    ? await Promise.all([unreadCount(db, user.id), getSettings(db, user.id)])
    : [0, null];
  const client = hub.subscribe(symbols, { lastEventId, transport: "sse" });
  const body = sseStream(client, {
    preamble: `event: ready\ndata: ${ready}\nretry: 3000\n\n` +
      (withNotifications ? frame("unread", { unread, toastKinds: settings?.toastKinds }) : ""),
    heartbeatMs,
    side: withNotifications
      ? (send) => notifications.subscribe(user.id, (d) => send(frame("notification", d)))
      : undefined,
  });
  return c.body(body, 200, headers);
});

const wsMessage = z.object({
  action: z.enum(["subscribe", "unsubscribe"]),
  symbols: z.array(z.string().max(20)).min(1).max(MAX_SYMBOLS),
}).strict();

/** The symbols not followed yet; `too_many_symbols` when they would pass `MAX_SYMBOLS`. */
function roomFor(client: HubClient, symbols: string[]): string[] {
  const added = symbols.filter((s) => !client.symbols.includes(s));
  if (client.symbols.length + added.length > MAX_SYMBOLS) {
    throw new BadRequestError(
      `A socket follows at most ${MAX_SYMBOLS} symbols; unsubscribe some first.`,
      { limit: MAX_SYMBOLS, subscribed: client.symbols.length },
      "too_many_symbols",
    );
  }
  return added;
}

/** Sends unless the socket is gone. */
function send(socket: WebSocket, message: unknown): void {
  if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
}

/** Bytes queued on a socket beyond which updates wait (and collapse to the newest). */
const WS_HIGH_WATER = 64 * 1024;

async function pumpToSocket(socket: WebSocket, client: HubClient): Promise<void> {
  for await (const batch of client) {
    for (const e of batch) {
      send(socket, { type: e.event.type, id: e.id, data: payload(e) });
    }
    // A slow reader: stop taking batches until its queue drains, so newer prices replace older
    // ones in the hub client's slots instead of piling up in the socket.
    while (socket.readyState === WebSocket.OPEN && socket.bufferedAmount > WS_HIGH_WATER) {
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

stream.get("/ws", (c) => {
  if (c.req.header("Upgrade")?.toLowerCase() !== "websocket") {
    throw new BadRequestError("This endpoint speaks WebSocket: connect with Upgrade: websocket.");
  }
  const { market, streams: hub, log, config } = c.get("services");
  // Browsers let any page open a WebSocket to us with our cookies and never ask CORS first, so
  // the upgrade gets the same Origin rule as a state-changing request.
  if (!originAllowed(c.req.raw, config.CORS_ORIGINS)) {
    throw new HttpError(
      403,
      "origin_refused",
      "WebSocket connections from other sites are refused.",
    );
  }
  const { socket, response } = Deno.upgradeWebSocket(c.req.raw);
  const client = hub.subscribe([], { transport: "ws" });
  const requestId = c.get("requestId");
  let beat: ReturnType<typeof setInterval> | undefined;
  const bucket = new MessageBucket();
  let strikes = 0;

  const fail = (err: unknown) =>
    send(socket, { type: "error", ...toErrorBody(err, requestId).body });

  socket.onopen = () => {
    beat = setInterval(() => send(socket, { type: "heartbeat" }), hub.heartbeatMs);
    pumpToSocket(socket, client)
      .catch((err) => log.warn("websocket pump failed", { error: (err as Error).message }))
      .finally(() => {
        // The hub closed (shutdown): tell the client to come back later.
        if (socket.readyState === WebSocket.OPEN) socket.close(1001, "server going away");
      });
  };
  socket.onmessage = async (event) => {
    // Messages still in flight when the socket was closed for abuse.
    if (socket.readyState !== WebSocket.OPEN) return;
    if (!bucket.take()) {
      if (++strikes >= WS_MAX_STRIKES) {
        socket.close(1008, "too many messages");
        return;
      }
      fail(
        new HttpError(
          429,
          "rate_limited",
          `At most ${WS_BURST} messages at once, then one per ${WS_REFILL_MS / 1000} s.`,
        ),
      );
      return;
    }
    strikes = 0;
    try {
      if (typeof event.data !== "string") {
        throw new BadRequestError("Send JSON text messages.");
      }
      let raw: unknown;
      try {
        raw = JSON.parse(event.data);
      } catch {
        throw new BadRequestError("The message is not valid JSON.", undefined, "invalid_json");
      }
      const msg = wsMessage.parse(raw);
      const symbols: string[] = [];
      for (const s of msg.symbols) {
        const r = checkSymbol(s);
        if (!r.ok) throw new BadRequestError(r.message, { symbol: s }, "invalid_symbol");
        if (!symbols.includes(r.symbol)) symbols.push(r.symbol);
      }
      if (msg.action === "subscribe") {
        await assertKnown(market, roomFor(client, symbols));
        // Again after the wait: another message may have subscribed meanwhile.
        roomFor(client, symbols);
        client.subscribe(symbols);
      } else {
        client.unsubscribe(symbols);
      }
      send(socket, { type: "subscribed", symbols: client.symbols, source: hub.source });
    } catch (err) {
      fail(err);
    }
  };
  socket.onclose = () => {
    clearInterval(beat);
    client.close();
  };
  socket.onerror = () => client.close();
  return response;
});

export default stream;
