/**
 * The one way PaiiD talks to Alpaca's Trading API: key headers, a timeout per attempt (joined
 * with the caller's signal), Alpaca error bodies parsed into `AlpacaApiError`, and the
 * `X-Ratelimit-*` headers honoured (contract §13).
 *
 * Only idempotent requests (GET, DELETE) are retried here: on 429 after the window resets, and on
 * 502/503/504 or a network failure after a short backoff. A POST or PATCH is sent exactly once;
 * whether a failed one landed is for the broker to find out (by client_order_id), since a blind
 * resend could place a second order.
 *
 * The keys live only in the request headers: error messages and logs name the method and path.
 *
 * @module
 */
import type { z } from "zod";
import type { Logger } from "../../log.ts";
import { backoffDelay } from "../../shared/backoff.ts";
import { errorBodySchema } from "./schemas.ts";
import type { Seam } from "../../metrics/mod.ts";
import { upstreamCall } from "../../metrics/upstream.ts";

export interface AlpacaHttpOptions {
  keyId: string;
  secretKey: string;
  /** Trading API host, e.g. `https://paper-api.alpaca.markets` (paths carry `/v2`). */
  baseUrl: string;
  /** Per attempt. Default 10 s. */
  timeoutMs?: number;
  /** Attempts for GET/DELETE, the first included. Default 3. */
  maxTries?: number;
  /** First backoff step, doubled per retry with jitter. Default 200 ms. */
  backoffBaseMs?: number;
  /** Longest wait for a rate-limit window before giving up. Default 10 s. */
  maxRateLimitWaitMs?: number;
  log?: Logger;
  fetch?: typeof fetch;
  /** What its calls are counted as in the upstream metrics. Default `alpaca` (trading). */
  seam?: Extract<Seam, "alpaca" | "alpaca_news">;
}

export type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
  query?: Query;
  body?: Record<string, unknown>;
  signal?: AbortSignal;
}

/** Alpaca answered with an error status; `body` holds its extra fields (buying_power, ...). */
export class AlpacaApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number | null,
    message: string,
    readonly body: Record<string, unknown>,
    /** 429: seconds until the rate-limit window resets. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "AlpacaApiError";
  }
}

/**
 * No usable answer: the request timed out, the connection failed, or the body was not what the
 * contract says. For a POST nobody knows whether Alpaca acted on it.
 */
export class AlpacaTransportError extends Error {
  constructor(readonly kind: "timeout" | "network" | "shape", message: string) {
    super(message);
    this.name = "AlpacaTransportError";
  }
}

export interface RateLimitState {
  limit: number | null;
  remaining: number | null;
  /** Epoch ms when the window resets. */
  resetAt: number | null;
}

const RETRY_STATUSES = new Set([502, 503, 504]);

export class AlpacaHttp {
  readonly #keyId: string;
  readonly #secretKey: string;
  readonly #base: string;
  readonly #timeoutMs: number;
  readonly #maxTries: number;
  readonly #backoffBaseMs: number;
  readonly #maxRateLimitWaitMs: number;
  readonly #fetch: typeof fetch;
  readonly #log?: Logger;
  readonly #seam: Extract<Seam, "alpaca" | "alpaca_news">;
  readonly #closing = new AbortController();
  rateLimit: RateLimitState = { limit: null, remaining: null, resetAt: null };

  constructor(opts: AlpacaHttpOptions) {
    this.#keyId = opts.keyId;
    this.#secretKey = opts.secretKey;
    this.#base = opts.baseUrl.replace(/\/+$/, "");
    this.#timeoutMs = opts.timeoutMs ?? 10_000;
    this.#maxTries = Math.max(1, opts.maxTries ?? 3);
    this.#backoffBaseMs = opts.backoffBaseMs ?? 200;
    this.#maxRateLimitWaitMs = opts.maxRateLimitWaitMs ?? 10_000;
    this.#fetch = opts.fetch ?? fetch;
    this.#log = opts.log;
    this.#seam = opts.seam ?? "alpaca";
  }

  get<T extends z.ZodType>(path: string, schema: T, opts: RequestOptions = {}) {
    return this.request("GET", path, schema, opts);
  }

  /** Sent once, never retried here (see the module comment). */
  post<T extends z.ZodType>(path: string, schema: T, opts: RequestOptions = {}) {
    return this.request("POST", path, schema, opts);
  }

  /** Sent once, never retried here. */
  patch<T extends z.ZodType>(path: string, schema: T, opts: RequestOptions = {}) {
    return this.request("PATCH", path, schema, opts);
  }

  /** With `schema` null the body is ignored (204 No Content). */
  delete<T extends z.ZodType>(path: string, schema: T | null, opts: RequestOptions = {}) {
    return this.request("DELETE", path, schema, opts);
  }

  /** Stops pending waits; later requests fail. */
  close(): void {
    this.#closing.abort();
  }

  /**
   * One call with its retries, counted and traced as one upstream call (lib/metrics/); an
   * answer refusing the request (4xx other than 429) is Alpaca working, not failing.
   */
  request<T extends z.ZodType>(
    method: "GET" | "POST" | "PATCH" | "DELETE",
    path: string,
    schema: T | null,
    opts: RequestOptions = {},
  ): Promise<z.output<T>> {
    return upstreamCall(
      this.#seam,
      { "http.request.method": method, "paiid.upstream.path": path },
      () => this.#request(method, path, schema, opts),
      (err) => !(err instanceof AlpacaApiError && err.status < 500 && err.status !== 429),
    );
  }

  async #request<T extends z.ZodType>(
    method: "GET" | "POST" | "PATCH" | "DELETE",
    path: string,
    schema: T | null,
    opts: RequestOptions = {},
  ): Promise<z.output<T>> {
    const idempotent = method === "GET" || method === "DELETE";
    const tries = idempotent ? this.#maxTries : 1;
    let last: unknown;
    for (let attempt = 1; attempt <= tries; attempt++) {
      try {
        return await this.#attempt(method, path, schema, opts);
      } catch (err) {
        last = err;
        const wait = attempt < tries ? this.#retryWait(err, attempt) : null;
        if (wait === null) throw err;
        this.#log?.warn("alpaca request retried", {
          method,
          path,
          attempt,
          error: (err as Error).message,
          waitMs: Math.round(wait),
        });
        await this.#sleep(wait, opts.signal);
      }
    }
    throw last;
  }

  /** How long to wait before trying `err`'s request again, or null when it must not be. */
  #retryWait(err: unknown, attempt: number): number | null {
    if (err instanceof AlpacaApiError) {
      if (err.status === 429) {
        const wait = (err.retryAfterSeconds ?? 1) * 1000;
        return wait <= this.#maxRateLimitWaitMs ? wait : null;
      }
      if (!RETRY_STATUSES.has(err.status)) return null;
    } else if (!(err instanceof AlpacaTransportError) || err.kind === "shape") {
      return null;
    }
    return backoffDelay(attempt, { baseMs: this.#backoffBaseMs, jitter: "equal" });
  }

  async #attempt<T extends z.ZodType>(
    method: string,
    path: string,
    schema: T | null,
    opts: RequestOptions,
  ): Promise<z.output<T>> {
    await this.#waitForWindow(method, path, opts.signal);
    const what = `Alpaca ${method} ${path}`;
    const url = new URL(this.#base + path);
    for (const [k, v] of Object.entries(opts.query ?? {})) {
      if (v !== undefined) url.searchParams.set(k, String(v));
    }
    const headers: Record<string, string> = {
      "APCA-API-KEY-ID": this.#keyId,
      "APCA-API-SECRET-KEY": this.#secretKey,
      "Accept": "application/json",
    };
    if (opts.body) headers["Content-Type"] = "application/json";
    const signals = [AbortSignal.timeout(this.#timeoutMs), this.#closing.signal];
    if (opts.signal) signals.push(opts.signal);
    const signal = AbortSignal.any(signals);
    let res: Response;
    let text: string;
    try {
      res = await this.#fetch(url, {
        method,
        headers,
        body: opts.body ? JSON.stringify(opts.body) : undefined,
        signal,
      });
      this.#noteRateLimit(res.headers);
      text = await res.text();
    } catch (err) {
      if (opts.signal?.aborted) throw opts.signal.reason;
      if (this.#closing.signal.aborted) {
        throw new AlpacaTransportError("network", `${what}: client closed`);
      }
      const timedOut = err instanceof DOMException &&
        (err.name === "TimeoutError" || err.name === "AbortError");
      throw timedOut
        ? new AlpacaTransportError("timeout", `${what} timed out after ${this.#timeoutMs} ms`)
        : new AlpacaTransportError("network", `${what} failed: ${this.#scrub(errText(err))}`);
    }
    if (!res.ok) throw this.#apiError(what, res, text);
    if (schema === null) return undefined as z.output<T>;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new AlpacaTransportError("shape", `${what} answered non-JSON (HTTP ${res.status})`);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const issues = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join(".")} ${i.message}`);
      throw new AlpacaTransportError("shape", `${what} answered an unexpected shape: ${issues}`);
    }
    return parsed.data;
  }

  #apiError(what: string, res: Response, text: string): AlpacaApiError {
    let body: Record<string, unknown> = {};
    try {
      const parsed = errorBodySchema.safeParse(JSON.parse(text));
      if (parsed.success) body = parsed.data;
    } catch {
      // A gateway page rather than JSON: the status alone says enough.
    }
    const message = this.#scrub(
      typeof body.message === "string" && body.message
        ? body.message
        : `${what}: HTTP ${res.status}`,
    );
    const retryAfter = res.status === 429 ? this.#secondsToReset(res.headers) : undefined;
    return new AlpacaApiError(
      res.status,
      typeof body.code === "number" ? body.code : null,
      message,
      body,
      retryAfter,
    );
  }

  #secondsToReset(headers: Headers): number {
    const retryAfter = Number(headers.get("retry-after"));
    if (headers.has("retry-after") && Number.isFinite(retryAfter)) return Math.max(1, retryAfter);
    const reset = this.rateLimit.resetAt;
    return reset === null ? 1 : Math.max(1, Math.ceil((reset - Date.now()) / 1000));
  }

  #noteRateLimit(headers: Headers): void {
    const num = (name: string) => {
      const v = headers.get(name);
      const n = v === null ? NaN : Number(v);
      return Number.isFinite(n) ? n : null;
    };
    const reset = num("x-ratelimit-reset");
    if (!headers.has("x-ratelimit-remaining") && reset === null) return;
    this.rateLimit = {
      limit: num("x-ratelimit-limit"),
      remaining: num("x-ratelimit-remaining"),
      resetAt: reset === null ? null : reset * 1000,
    };
  }

  /** When the last answer said the window is used up, wait for its reset instead of a 429. */
  async #waitForWindow(method: string, path: string, signal?: AbortSignal): Promise<void> {
    const { remaining, resetAt } = this.rateLimit;
    if (remaining === null || remaining > 0 || resetAt === null) return;
    const wait = resetAt - Date.now();
    if (wait <= 0) return;
    if (wait > this.#maxRateLimitWaitMs) {
      throw new AlpacaApiError(
        429,
        null,
        `Alpaca ${method} ${path}: rate limit exhausted for ${Math.ceil(wait / 1000)} s`,
        {},
        Math.ceil(wait / 1000),
      );
    }
    await this.#sleep(wait, signal);
  }

  /** Belt and braces: an upstream message echoing a key never carries it further. */
  #scrub(text: string): string {
    let out = text;
    for (const secret of [this.#secretKey, this.#keyId]) {
      if (secret) out = out.replaceAll(secret, "[redacted]");
    }
    return out;
  }

  #sleep(ms: number, signal?: AbortSignal): Promise<void> {
    const all = AbortSignal.any(signal ? [this.#closing.signal, signal] : [this.#closing.signal]);
    if (all.aborted) return Promise.reject(new AlpacaTransportError("network", "client closed"));
    return new Promise((resolve, reject) => {
      const stop = () => {
        clearTimeout(timer);
        reject(new AlpacaTransportError("network", "client closed"));
      };
      const timer = setTimeout(() => {
        all.removeEventListener("abort", stop);
        resolve();
      }, ms);
      all.addEventListener("abort", stop, { once: true });
    });
  }
}

function errText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
