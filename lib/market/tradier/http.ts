/**
 * The one way PaiiD talks to Tradier's REST API: bearer auth, `Accept: application/json` (the
 * default would be XML, Tradier request conventions), a timeout per attempt, bounded retries with
 * exponential backoff and full jitter on 429/5xx/network errors, and the rate-limit headers
 * (Tradier rate limits) honoured: when `X-Ratelimit-Available` reaches 0 every request waits for
 * `X-Ratelimit-Expiry` instead of hammering. The token is only ever placed in the Authorization
 * header, never in an error.
 *
 * @module
 */
import type { z } from "zod";
import { backoffDelay } from "../../shared/backoff.ts";
import { UpstreamError } from "../types.ts";
import { upstreamCall } from "../../metrics/upstream.ts";

export interface TradierHttpOptions {
  token: string;
  /** REST base including `/v1`, e.g. `https://api.tradier.com/v1`. */
  baseUrl: string;
  /** Per attempt. Default 10 s. */
  timeoutMs?: number;
  /** Retries after the first attempt. Default 3. */
  maxRetries?: number;
  /** First backoff step; doubles each retry, capped by `backoffMaxMs`. Default 250 ms. */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** Longest wait for a rate-limit window to reset before giving up. Default 65 s. */
  maxRateLimitWaitMs?: number;
  fetch?: typeof fetch;
  /** Replaceable for tests; default `Math.random`. */
  random?: () => number;
}

type Params = Record<string, string | number | boolean | undefined>;

/** Thrown inside the retry loop for failures worth another attempt. */
class Retryable extends Error {
  constructor(message: string, readonly status?: number, readonly waitMs?: number) {
    super(message);
  }
}

export class TradierHttp {
  readonly #token: string;
  readonly #base: string;
  readonly #timeoutMs: number;
  readonly #maxRetries: number;
  readonly #backoffBaseMs: number;
  readonly #backoffMaxMs: number;
  readonly #maxRateLimitWaitMs: number;
  readonly #fetch: typeof fetch;
  readonly #random: () => number;
  /** Epoch ms until which the current rate-limit window is exhausted (0 = not exhausted). */
  #blockedUntil = 0;
  /** Aborts pending waits on close. */
  readonly #closing = new AbortController();

  constructor(opts: TradierHttpOptions) {
    this.#token = opts.token;
    this.#base = opts.baseUrl.replace(/\/+$/, "");
    this.#timeoutMs = opts.timeoutMs ?? 10_000;
    this.#maxRetries = opts.maxRetries ?? 3;
    this.#backoffBaseMs = opts.backoffBaseMs ?? 250;
    this.#backoffMaxMs = opts.backoffMaxMs ?? 8_000;
    this.#maxRateLimitWaitMs = opts.maxRateLimitWaitMs ?? 65_000;
    this.#fetch = opts.fetch ?? fetch;
    this.#random = opts.random ?? Math.random;
  }

  /** GET `path` with query `params`, validated by `schema`. */
  get<T extends z.ZodType>(path: string, params: Params, schema: T): Promise<z.output<T>> {
    return this.request("GET", path, params, schema);
  }

  /** POST `path` with a form-encoded body (Tradier request conventions), validated by `schema`. */
  post<T extends z.ZodType>(path: string, params: Params, schema: T): Promise<z.output<T>> {
    return this.request("POST", path, params, schema);
  }

  /** Stops pending backoff and rate-limit waits. */
  close(): void {
    this.#closing.abort();
  }

  /** One call with its retries: counted and traced as one upstream call (lib/metrics/). */
  request<T extends z.ZodType>(
    method: "GET" | "POST",
    path: string,
    params: Params,
    schema: T,
  ): Promise<z.output<T>> {
    return upstreamCall(
      "tradier",
      { "http.request.method": method, "paiid.upstream.path": path },
      () => this.#request(method, path, params, schema),
    );
  }

  async #request<T extends z.ZodType>(
    method: "GET" | "POST",
    path: string,
    params: Params,
    schema: T,
  ): Promise<z.output<T>> {
    const form = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== undefined) form.set(k, String(v));
    const what = `Tradier ${method} ${path}`;
    let lastError: Retryable | undefined;
    for (let attempt = 0; attempt <= this.#maxRetries; attempt++) {
      if (attempt > 0) {
        const backoff = backoffDelay(attempt, {
          baseMs: this.#backoffBaseMs,
          maxMs: this.#backoffMaxMs,
          jitter: "full",
          random: this.#random,
        });
        await this.#sleep(Math.max(backoff, lastError?.waitMs ?? 0));
      }
      await this.#waitForRateLimit(what);
      try {
        const body = await this.#attempt(method, path, form);
        const parsed = schema.safeParse(body);
        if (!parsed.success) {
          throw new UpstreamError(
            `${what} answered an unexpected shape: ${
              parsed.error.issues.slice(0, 3).map((i) => `${i.path.join(".")} ${i.message}`)
                .join("; ")
            }`,
          );
        }
        return parsed.data;
      } catch (err) {
        if (!(err instanceof Retryable)) throw err;
        lastError = err;
      }
    }
    throw new UpstreamError(
      `${what} failed after ${this.#maxRetries + 1} attempts: ${lastError?.message}`,
      lastError?.status,
    );
  }

  async #attempt(method: string, path: string, form: URLSearchParams): Promise<unknown> {
    const query = method === "GET" && [...form.keys()].length ? `?${form}` : "";
    const headers: Record<string, string> = {
      "Authorization": `Bearer ${this.#token}`,
      "Accept": "application/json",
    };
    let body: string | undefined;
    if (method === "POST") {
      headers["Content-Type"] = "application/x-www-form-urlencoded";
      body = form.toString();
    }
    let res: Response;
    try {
      res = await this.#fetch(`${this.#base}${path}${query}`, {
        method,
        headers,
        body,
        signal: AbortSignal.any([AbortSignal.timeout(this.#timeoutMs), this.#closing.signal]),
      });
    } catch (err) {
      if (this.#closing.signal.aborted) throw new UpstreamError("Tradier client closed");
      const name = err instanceof Error ? err.name : "";
      throw new Retryable(
        name === "TimeoutError" ? `timed out after ${this.#timeoutMs} ms` : "network error",
      );
    }
    this.#noteRateLimit(res.headers);
    if (res.ok) {
      const text = await res.text().catch(() => {
        throw new Retryable("connection lost while reading the body");
      });
      try {
        return JSON.parse(text);
      } catch {
        throw new UpstreamError(`Tradier ${method} ${path} answered non-JSON`, res.status);
      }
    }
    await res.body?.cancel();
    if (res.status === 429) {
      const wait = Math.max(0, this.#blockedUntil - Date.now(), retryAfterMs(res.headers));
      throw new Retryable("rate limited (429)", 429, Math.min(wait, this.#maxRateLimitWaitMs));
    }
    if (res.status >= 500) throw new Retryable(`HTTP ${res.status}`, res.status);
    if (res.status === 401) {
      throw new UpstreamError(`Tradier rejected the access token (401) on ${path}`, 401);
    }
    throw new UpstreamError(`Tradier ${method} ${path} answered HTTP ${res.status}`, res.status);
  }

  #noteRateLimit(headers: Headers): void {
    const available = Number(headers.get("x-ratelimit-available"));
    const expiry = Number(headers.get("x-ratelimit-expiry"));
    if (headers.has("x-ratelimit-available") && available <= 0 && Number.isFinite(expiry)) {
      this.#blockedUntil = expiry;
    } else if (headers.has("x-ratelimit-available") && available > 0) {
      this.#blockedUntil = 0;
    }
  }

  async #waitForRateLimit(what: string): Promise<void> {
    const wait = this.#blockedUntil - Date.now();
    if (wait <= 0) return;
    if (wait > this.#maxRateLimitWaitMs) {
      throw new UpstreamError(`${what}: rate limit exhausted for ${Math.ceil(wait / 1000)} s`, 429);
    }
    await this.#sleep(wait);
  }

  #sleep(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    const signal = this.#closing.signal;
    if (signal.aborted) return Promise.reject(new UpstreamError("Tradier client closed"));
    return new Promise((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        reject(new UpstreamError("Tradier client closed"));
      };
      const timer = setTimeout(() => {
        signal.removeEventListener("abort", done);
        resolve();
      }, ms);
      signal.addEventListener("abort", done, { once: true });
    });
  }
}

/** `Retry-After` in seconds or as an HTTP date (not in Tradier's contract, honoured if sent). */
function retryAfterMs(headers: Headers): number {
  const value = headers.get("retry-after");
  if (!value) return 0;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isFinite(date) ? date - Date.now() : 0;
}
