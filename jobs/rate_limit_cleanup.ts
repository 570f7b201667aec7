/** Every 5 minutes: delete rate-limit counters of finished windows (KV's `sum` cannot expire). */
import { deleteFinishedWindows } from "../lib/auth/rate_limit.ts";

export const RATE_LIMIT_CLEANUP_SCHEDULE = "*/5 * * * *";

export function rateLimitCleanup(kv: Deno.Kv): Promise<number> {
  return deleteFinishedWindows(kv);
}
