/**
 * Proposals end with the session they were made in: at its close on the market clock (the
 * replay clock in replay mode) a pending proposal becomes `expired`, with an audit row. The job
 * (jobs/proposals.ts) expires every user's; reads expire the reader's first, so nobody sees or
 * approves a proposal whose session is over even when the job has not run yet.
 *
 * Sessions are compared by the clock's monotonic session numbers (the replay's dates jump back
 * when it wraps). A proposal whose approval is in flight (a fresh claim) is left to it, and one
 * whose order exists is never expired: the order was placed, a later approval records it.
 *
 * @module
 */
import type { Queryable } from "../db/database.ts";
import { nyTime } from "../market/exchange_time.ts";
import type { MarketClock } from "../market/types.ts";

/** How long an approval in flight holds a proposal against reject and expiry, in seconds. */
export const CLAIM_LEASE_SECONDS = 120;

/** The session a proposal made now belongs to: the close that ends it, its date and number. */
export function sessionEnd(clock: MarketClock): {
  expiresAt: string | null;
  expiresSession: string | null;
  expiresSessionNo: number | null;
} {
  return {
    expiresAt: clock.nextClose,
    expiresSession: clock.nextClose ? nyTime(Date.parse(clock.nextClose)).date : null,
    expiresSessionNo: clock.nextCloseSession,
  };
}

/**
 * Expires the pending proposals whose session has closed by `clock` (only `userId`'s when
 * given), each with an `expired` audit row in the same statement. Returns how many.
 */
export async function expireDue(
  db: Queryable,
  clock: MarketClock,
  opts: { userId?: number } = {},
): Promise<number> {
  const rows = await db.query<{ proposal_id: string }>(
    `with expired as (
       update proposals p
          set status = 'expired', decided_at = now(), decided_via = 'system',
              claimed_at = null, claim_token = null
        where p.status = 'pending'
          and ($1::bigint is null or p.user_id = $1)
          and (p.claimed_at is null or p.claimed_at < now() - make_interval(secs => $3))
          and ((p.expires_session_no is not null and $2::int is not null
                and $2::int > p.expires_session_no)
            or (p.expires_session_no is null and p.expires_at is not null
                and p.expires_at < now()))
          and not exists (select 1 from orders o
                           where o.user_id = p.user_id and o.client_order_id = p.client_order_id)
        returning p.id, p.user_id, p.expires_session
     )
     insert into proposal_events (proposal_id, user_id, event, actor, detail)
     select id, user_id, 'expired', 'system',
            jsonb_build_object('session', expires_session, 'clockSession', $2::int)
       from expired
     returning proposal_id`,
    [opts.userId ?? null, clock.nextCloseSession, CLAIM_LEASE_SECONDS],
  );
  return rows.length;
}
