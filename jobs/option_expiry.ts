/**
 * Every five minutes: paper option positions whose expiration day has closed on the market
 * clock are exercised, assigned or expire worthless (lib/broker/paper/expiry.ts). The broker
 * sync settles them too; this job makes sure it happens when no order is working. Settling is
 * idempotent, so the two never settle a position twice.
 */
import type { Services } from "../lib/services.ts";
import { type ExpiryReport, settleExpiredOptions } from "../lib/broker/paper/expiry.ts";

export const OPTION_EXPIRY_SCHEDULE = "*/5 * * * *";

export function optionExpiry(
  services: Pick<Services, "db" | "market" | "log">,
): Promise<ExpiryReport> {
  return settleExpiredOptions(services);
}
