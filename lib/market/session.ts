/**
 * Session numbers for market clocks whose dates only move forward (Tradier, the scripted test
 * market): whole days since 1970-01-01 of the exchange date. Weekends and holidays leave gaps,
 * which do not matter: only the order of sessions does. The replay numbers its sessions itself,
 * because its date jumps backwards when it wraps.
 *
 * @module
 */

/** The session number of exchange date `YYYY-MM-DD`. */
export function dateSession(date: string): number {
  return Math.round(Date.parse(`${date}T00:00:00Z`) / 86_400_000);
}
