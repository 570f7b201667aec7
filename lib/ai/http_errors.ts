/**
 * The analyst's failures as HTTP answers the screens can explain: rate limits and an exhausted
 * budget are 429, the rest 503, with Retry-After when the analyst gave one; never a 500.
 */
import { AnalystError } from "./types.ts";
import { HttpError } from "../http/errors.ts";

export async function fromAnalyst<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw analystHttpError(err);
  }
}

/** `err` as an HttpError when it is an AnalystError; anything else unchanged. */
export function analystHttpError(err: unknown): unknown {
  if (!(err instanceof AnalystError)) return err;
  const status = err.code === "rate_limited" || err.code === "budget_exhausted" ? 429 : 503;
  const headers = err.retryAfterSeconds
    ? { "Retry-After": String(err.retryAfterSeconds) }
    : undefined;
  return new HttpError(status, `analyst_${err.code}`, err.message, undefined, headers);
}
