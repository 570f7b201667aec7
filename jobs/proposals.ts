/**
 * Proposals end with their session: every five minutes the pending proposals whose session has
 * closed on the market clock (the replay clock in replay mode, whose sessions do not follow New
 * York's wall clock) become `expired`, each with an audit row, in one statement. Reads expire
 * the reader's own as well, so a late run is never seen.
 */
import type { Database } from "../lib/db/database.ts";
import type { MarketData } from "../lib/market/types.ts";
import { expireDue } from "../lib/proposals/expire.ts";

export const PROPOSAL_EXPIRY_SCHEDULE = "*/5 * * * *";

export async function expireProposals(db: Database, market: MarketData): Promise<number> {
  return await expireDue(db, await market.clock());
}
