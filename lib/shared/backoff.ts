/**
 * Exponential backoff, the one rule every retry and reconnect loop uses (server clients, the
 * stream hub and the browser's quote stream): the delay doubles per consecutive failure up to a
 * cap, optionally spread by jitter so many clients that failed together do not retry together.
 *
 * ```ts
 * backoffDelay(1, { baseMs: 250 });                              // 250
 * backoffDelay(3, { baseMs: 250, maxMs: 800 });                  // 800 (1000 capped)
 * backoffDelay(2, { baseMs: 250, jitter: "full" });              // uniform in [0, 500)
 * ```
 *
 * Pure and dependency-free, so the browser imports it too.
 *
 * @module
 */

/**
 * How the delay is spread: `none` keeps it exact, `equal` draws from [d/2, d) (never retries
 * at once, still spreads), `full` draws from [0, d) (spreads the most).
 */
export type Jitter = "none" | "equal" | "full";

export interface BackoffOptions {
  /** Delay before the first retry, in ms (> 0). */
  baseMs: number;
  /** Cap on the delay before jitter, in ms. Default: no cap. */
  maxMs?: number;
  /** Default `"none"`. */
  jitter?: Jitter;
  /** Uniform random numbers in [0, 1). Default `Math.random`; injectable for tests. */
  random?: () => number;
}

/**
 * Milliseconds to wait before retry number `retry` (1 = the first retry after one failure):
 * `baseMs · 2^(retry − 1)`, capped at `maxMs`, then jittered. A `retry` below 1 counts as 1.
 * Throws RangeError for a `baseMs` that is not positive or a `maxMs` below it.
 */
export function backoffDelay(
  retry: number,
  { baseMs, maxMs = Infinity, jitter = "none", random = Math.random }: BackoffOptions,
): number {
  // Short messages: this ships in every page's script.
  if (!(baseMs > 0)) throw new RangeError(`backoff: baseMs ${baseMs} <= 0`);
  if (!(maxMs >= baseMs)) throw new RangeError(`backoff: maxMs ${maxMs} < baseMs ${baseMs}`);
  // Past 2^52 the doubling overflows to Infinity, which the cap (or the caller) handles.
  const step = Math.min(maxMs, baseMs * 2 ** (Math.max(1, Math.floor(retry)) - 1));
  if (jitter === "full") return random() * step;
  if (jitter === "equal") return step / 2 + random() * step / 2;
  return step;
}
