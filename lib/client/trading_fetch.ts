/**
 * The trading islands' one way to call the API: JSON in and out, the CSRF header on every
 * state-changing request (the browser is cookie-authenticated), and every failure, including
 * an unreachable server, turned into an `ApiProblem` the screen can show.
 */
import { type ApiProblem, readProblem } from "./trading_api.ts";

export type ApiResult<T> = { ok: true; status: number; data: T } | {
  ok: false;
  problem: ApiProblem;
};

export interface CallOptions {
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  body?: unknown;
  csrfToken?: string;
  idempotencyKey?: string;
  signal?: AbortSignal;
}

/** Window event the order ticket sends after it places an order; the lists refresh on it. */
export const ORDER_PLACED_EVENT = "paiid:order-placed";

export async function callApi<T>(url: string, opts: CallOptions = {}): Promise<ApiResult<T>> {
  const method = opts.method ?? "GET";
  const headers: Record<string, string> = { Accept: "application/json" };
  if (opts.body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET" && opts.csrfToken) headers["X-CSRF-Token"] = opts.csrfToken;
  if (opts.idempotencyKey) headers["Idempotency-Key"] = opts.idempotencyKey;
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: opts.signal,
      credentials: "same-origin",
    });
  } catch (err) {
    if (opts.signal?.aborted) throw err;
    return { ok: false, problem: readProblem(0, null) };
  }
  let data: unknown = null;
  try {
    data = await res.json();
  } catch {
    // A proxy's HTML error page: the status says enough.
  }
  if (!res.ok) return { ok: false, problem: readProblem(res.status, data) };
  return { ok: true, status: res.status, data: data as T };
}
