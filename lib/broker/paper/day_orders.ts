/**
 * When a paper day order ends: the session whose close it names, by the clock's monotonic
 * session number (dates jump backwards when the replay wraps).
 *
 * @module
 */
import { nyTime } from "../../market/exchange_time.ts";
import type { MarketClock } from "../../market/types.ts";
import type { OrderRow } from "../orders_repo.ts";

/** The session whose close ends a day order sent now: its date (for people) and number. */
export interface Expiry {
  date: string | null;
  /** The clock's monotonic session number: what expiry compares (dates jump on a replay wrap). */
  session: number | null;
}

export function expiryOf(clock: MarketClock): Expiry {
  return {
    date: clock.nextClose ? nyTime(Date.parse(clock.nextClose)).date : null,
    session: clock.nextCloseSession,
  };
}

/**
 * Whether the day order in `row` is over once an order sent now would end at `now`: a later
 * session has closed. Rows written before session numbers existed compare their dates.
 */
export function dayOrderOver(row: OrderRow, now: Expiry): boolean {
  if (row.expires_session_no !== null) {
    return now.session !== null && now.session > row.expires_session_no;
  }
  return row.expires_session !== null && now.date !== null && now.date > row.expires_session;
}
