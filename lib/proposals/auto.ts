/**
 * Auto-approval: with the setting "auto-approve proposals within limits", a new proposal whose
 * estimated value is at most `autoApproveMaxOrderValue` and keeps the session's auto-approved
 * total within `autoApproveMaxDailyValue` is approved at once, through the same approval (and
 * so the same checks and key) as a person's, audited as `auto_approved`. The kill switch
 * overrides it. Anything it does not approve stays pending with the reason, audited.
 *
 * The session's total is reserved under a per-user advisory lock, so two proposals made at
 * once cannot both spend the last of the limit; a refused approval gives its share back.
 *
 * @module
 */
import { estimatePrice } from "../broker/checks.ts";
import { formatUsd } from "../shared/money.ts";
import { getSettings } from "../settings.ts";
import { approveProposal, type ProposalDeps, recordRefusal, refusalOf } from "./approve.ts";
import { orderRequestOf, type ProposalRow } from "./repo.ts";
import type { Order } from "../broker/types.ts";

export type AutoOutcome =
  | { mode: "every_order" }
  | { mode: "auto_within_limits"; approved: true; value: number; order: Order }
  | { mode: "auto_within_limits"; approved: false; reason: string };

const AUTO = { kind: "auto", id: null } as const;

export async function autoApprove(
  deps: ProposalDeps,
  userId: number,
  row: ProposalRow,
): Promise<AutoOutcome> {
  const settings = await getSettings(deps.db, userId);
  if (settings.approvalMode !== "auto_within_limits") return { mode: "every_order" };
  const skip = async (code: string, message: string): Promise<AutoOutcome> => {
    await recordRefusal(deps.db, row, AUTO, { code, message, at: new Date().toISOString() });
    return { mode: "auto_within_limits", approved: false, reason: message };
  };
  const halt = await deps.halts.activeFor(userId);
  if (halt) {
    return await skip(
      "trading_halted",
      `Not approved automatically: trading is halted (${halt.reason}).`,
    );
  }
  const req = orderRequestOf(row);
  const [[quote], clock] = await Promise.all([
    deps.market.quotes([req.symbol]),
    deps.market.clock(),
  ]);
  const price = estimatePrice(req, quote);
  const value = req.notional ?? (price === null ? null : Math.round(req.qty! * price * 100) / 100);
  if (value === null) {
    return await skip("no_price", `Not approved automatically: ${req.symbol} has no price now.`);
  }
  if (value > settings.autoApproveMaxOrderValue) {
    return await skip(
      "auto_limit_order",
      `Not approved automatically: about ${formatUsd(value)}, over your auto-approval limit of ` +
        `${formatUsd(settings.autoApproveMaxOrderValue)} per order.`,
    );
  }
  const used = await deps.db.transaction(async (tx) => {
    await tx.query("select pg_advisory_xact_lock(12012, $1::int)", [userId]);
    const [{ total }] = await tx.query<{ total: string }>(
      `select coalesce(sum(auto_value), 0)::text as total from proposals
        where user_id = $1 and auto_session = $2 and auto_value is not null`,
      [userId, clock.session],
    );
    if (Number(total) + value > settings.autoApproveMaxDailyValue) return Number(total);
    await tx.query(
      "update proposals set auto_value = $2, auto_session = $3 where id = $1",
      [row.id, value, clock.session],
    );
    return null;
  });
  if (used !== null) {
    return await skip(
      "auto_limit_day",
      `Not approved automatically: ${formatUsd(used)} already auto-approved this session; ` +
        `${formatUsd(value)} more would pass your limit of ` +
        `${formatUsd(settings.autoApproveMaxDailyValue)} per day.`,
    );
  }
  try {
    const { order } = await approveProposal(deps, userId, row.id, AUTO);
    return { mode: "auto_within_limits", approved: true, value, order };
  } catch (err) {
    await deps.db.query(
      "update proposals set auto_value = null, auto_session = null where id = $1 and status = 'pending'",
      [row.id],
    );
    // A check or the kill switch refused: approveProposal recorded why. Anything else (the
    // broker unreachable) leaves the proposal waiting for the person, which is always safe.
    const reason = refusalOf(err)?.message ?? "the broker could not be reached";
    return {
      mode: "auto_within_limits",
      approved: false,
      reason: `Not approved automatically: ${reason}`,
    };
  }
}
