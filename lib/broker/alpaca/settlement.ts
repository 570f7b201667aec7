/**
 * Alpaca's option events at expiry as PaiiD's fills. Alpaca settles the shared account itself
 * and reports it as non-trade activities (contract §7; their shapes from Alpaca's page on option
 * events): OPEXP (expired), OPEXC (a long contract exercised) and OPASN (a short one assigned),
 * each with the contracts that left as a signed `qty`, and for exercise and assignment an OPTRD
 * that moved 100 shares a contract at the strike.
 *
 * One Alpaca account serves every PaiiD user, so an event is split between the users whose
 * booked fills hold that contract on that side, in user order, up to what each holds; what no
 * user holds (a position opened outside PaiiD) is not booked. The option leaves at price 0 (its
 * value, if any, moves with the shares: Alpaca's own `net_amount` for the event is 0), and the
 * shares are booked at the strike. An exercise or assignment is booked only together with its
 * OPTRD, so a user never gets one half of it.
 *
 * @module
 */
import { OPTION_MULTIPLIER, type OptionContractId, parseOcc } from "../../options/occ.ts";
import type { FillReason } from "../types.ts";
import type { SettlementTrade } from "./option_rows.ts";
import type { AlpacaOtherActivity } from "./schemas.ts";

/** The activity types this module reads, for the activities query. */
export const SETTLEMENT_TYPES = ["OPEXP", "OPEXC", "OPASN", "OPTRD"] as const;

const REASONS: Record<string, Exclude<FillReason, "trade">> = {
  OPEXP: "expired",
  OPEXC: "exercise",
  OPASN: "assignment",
};

export interface Holding {
  userId: number;
  symbol: string;
  /** Signed contracts: negative = short. */
  qty: number;
}

/** The trades the events make, grouped so each group is booked in one transaction. */
export function settlementTrades(
  events: AlpacaOtherActivity[],
  holdings: Holding[],
): SettlementTrade[][] {
  const held = holdings.map((h) => ({ ...h }));
  const groups: SettlementTrade[][] = [];
  const used = new Set<string>();
  for (const [i, e] of events.entries()) {
    const reason = REASONS[e.activity_type];
    const contract = reason && e.symbol ? parseOcc(e.symbol) : null;
    const change = Number(e.qty ?? 0);
    if (!contract || !change) continue;
    let shares: AlpacaOtherActivity | undefined;
    if (reason !== "expired") {
      // Its OPTRD follows it; until Alpaca lists that, neither half is booked.
      shares = events.slice(i + 1).find((t) =>
        t.activity_type === "OPTRD" && !used.has(t.id) && t.symbol === contract.underlying &&
        Math.abs(Number(t.qty ?? 0)) === Math.abs(change) * OPTION_MULTIPLIER
      );
      if (!shares) continue;
      used.add(shares.id);
    }
    const at = eventTime(e);
    const group: SettlementTrade[] = [];
    for (const { userId, contracts } of allocate(held, contract.symbol, change)) {
      const long = change < 0;
      const note = noteOf(contract, reason, long, contracts);
      const id = (a: AlpacaOtherActivity) => `${a.id}:${userId}`;
      group.push({
        userId,
        symbol: contract.symbol,
        side: long ? "sell" : "buy",
        qty: contracts,
        price: 0,
        multiplier: OPTION_MULTIPLIER,
        reason,
        note,
        at,
        brokerFillId: id(e),
      });
      if (shares) {
        group.push({
          userId,
          symbol: contract.underlying,
          side: Number(shares.qty) > 0 ? "buy" : "sell",
          qty: contracts * OPTION_MULTIPLIER,
          price: Number(shares.price ?? contract.strike),
          multiplier: 1,
          reason,
          note,
          at: eventTime(shares),
          brokerFillId: id(shares),
        });
      }
    }
    if (group.length) groups.push(group);
  }
  return groups;
}

/** Takes `change`'s contracts from the holders of that side, lowest user id first. */
function allocate(held: Holding[], symbol: string, change: number) {
  let left = Math.abs(change);
  const out: { userId: number; contracts: number }[] = [];
  const holders = held
    .filter((h) => h.symbol === symbol && (change < 0 ? h.qty > 0 : h.qty < 0))
    .sort((a, b) => a.userId - b.userId);
  for (const h of holders) {
    if (left <= 0) break;
    const contracts = Math.min(left, Math.abs(h.qty));
    out.push({ userId: h.userId, contracts });
    h.qty += change < 0 ? -contracts : contracts;
    left -= contracts;
  }
  return out;
}

/** When it happened: its creation time, else the close (20:00 UTC) of its date. */
function eventTime(e: AlpacaOtherActivity): Date {
  const created = e.created_at ? new Date(e.created_at) : null;
  if (created && !Number.isNaN(created.getTime())) return created;
  const day = (e.date ?? "").slice(0, 10);
  const close = new Date(`${day}T20:00:00Z`);
  return Number.isNaN(close.getTime()) ? new Date(0) : close;
}

/** "AAPL 2024-06-21 190 call exercised at 190: bought 200 AAPL". */
function noteOf(
  c: OptionContractId,
  reason: Exclude<FillReason, "trade">,
  long: boolean,
  contracts: number,
): string {
  const name = `${c.underlying} ${c.expiration} ${c.strike} ${c.type}`;
  const plural = contracts === 1 ? "" : "s";
  if (reason === "expired") {
    return `${name} expired worthless: ${contracts} ${long ? "long" : "short"} contract${plural}`;
  }
  // A long call or a short put takes the shares; a long put or a short call delivers them.
  const bought = (c.type === "call") === long;
  const verb = reason === "exercise" ? "exercised" : "assigned";
  return `${name} ${verb} at ${c.strike}: ${bought ? "bought" : "sold"} ` +
    `${contracts * OPTION_MULTIPLIER} ${c.underlying}`;
}
