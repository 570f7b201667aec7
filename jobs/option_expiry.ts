/**
 * Every five minutes: paper option positions whose expiration day has closed on the market
 * clock are exercised, assigned or expire worthless (lib/broker/paper/expiry.ts). The broker
 * sync settles them too; this job makes sure it happens when no order is working. Settling is
 * idempotent, so the two never settle a position twice.
 */
import type { Services } from "../lib/services.ts";
import { type ExpiryReport, settleExpiredOptions } from "../lib/broker/paper/expiry.ts";
import { PaperBroker } from "../lib/broker/paper/broker.ts";

export const OPTION_EXPIRY_SCHEDULE = "*/5 * * * *";

/** What was settled, in counts (the job's log line names no users). */
export type ExpiryCounts = Omit<ExpiryReport, "users">;

export async function optionExpiry(
  services: Pick<Services, "db" | "market" | "log" | "broker">,
): Promise<ExpiryCounts> {
  // The paper broker also writes each settled user's equity point. Under Alpaca, positions left
  // from paper trading still settle, but no paper history is shown to write a point for.
  // (`services.broker` is the kill switch's proxy of it: `instanceof` sees through.)
  const broker = services.broker;
  const { users: _, ...counts } = broker instanceof PaperBroker
    ? await broker.settleExpiries()
    : await settleExpiredOptions(services);
  return counts;
}
