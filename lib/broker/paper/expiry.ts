/**
 * Option expiry on the paper broker. Once the close of an expiration day has passed on the
 * market clock (the replay clock in replay), every paper option position expiring that day is
 * settled by lib/options/expiry.ts `settle` against the underlying's close that day (the
 * market data's daily bar: in replay, the shipped history's close of that date):
 *
 * - in the money by at least $0.01: a long option is exercised, a short one assigned, into 100
 *   shares per contract at the strike (the option leaves at price 0); when the shares cannot be
 *   held (the cash does not pay for them, or they would be sold short while short selling is
 *   off) it is closed for cash at its intrinsic value instead. Exercising a long call is the
 *   holder's choice, so the shares it buys past a short stock position it closes may spend only
 *   buying power: cash that secures a short put or is held by an open order is not there to buy
 *   shares with. An assignment is not a choice and is paid from cash. A user's positions settle
 *   in the order of SETTLE_ORDER below, so that one settlement's cash or shares meet the next;
 * - at or out of the money: it expires worthless, closed at price 0.
 *
 * Index options (SPX) always settle for cash at their intrinsic value: there are no index shares.
 * Each event is booked as fills with its reason (`exercise`, `assignment`, `expired`) and a note,
 * the option leg and the shares leg in ONE transaction per position under the account lock.
 * Working orders on expired contracts are canceled first. Running it twice settles once: a
 * settled position is gone, and each position is re-read under the lock before it is settled.
 *
 * @module
 */
import type { Database } from "../../db/database.ts";
import type { Logger } from "../../log.ts";
import { INDEX_SYMBOLS } from "../../market/symbols.ts";
import type { MarketClock, MarketData } from "../../market/types.ts";
import { OPTION_MULTIPLIER, type OptionContractId, parseOcc } from "../../options/occ.ts";
import { settle, type Settlement } from "../../options/expiry.ts";
import { underlyingOf } from "../../options/underlying.ts";
import { getSettings } from "../../settings.ts";
import { lockAccount } from "./account.ts";
import { buyingPowerAtFill, readAtFill } from "./fill_time.ts";
import { applySettlement } from "./ledger.ts";

/** No order is being filled at a settlement: every open order keeps what it holds. */
const NO_ORDER = "00000000-0000-0000-0000-000000000000";

export interface ExpiryReport {
  /** Positions settled (exercised, assigned or expired). */
  settled: number;
  /** Working orders canceled because their contract expired. */
  canceled: number;
  /** Positions left for the next run (no close yet for their underlying, or an error). */
  pending: number;
  /** The users whose positions were settled, each once: their equity history has a new step. */
  users: number[];
}

export interface ExpiryDeps {
  db: Database;
  market: MarketData;
  log?: Logger;
}

/** Whether options expiring on `expiration` are over by `clock`: their day's close has passed. */
export function expired(expiration: string, clock: MarketClock): boolean {
  if (expiration < clock.date) return true;
  if (expiration > clock.date) return false;
  return clock.state !== "open" && clock.state !== "premarket" &&
    clock.nextCloseSession !== null && clock.nextCloseSession > clock.session;
}

/**
 * The order positions of one user settle in, so that one settlement's shares or cash meet the
 * next as they would at a broker: a short put's assignment is paid from the cash that secured
 * it before a long call may ask for cash, and brings the shares a long put's exercise sells;
 * a long call's exercise brings the shares a short call's assignment delivers (a call spread
 * in the money ends flat, not long 100 shares).
 */
const SETTLE_ORDER = ["short put", "long call", "short call", "long put"];

interface Due {
  userId: number;
  contract: OptionContractId;
  underlying: string;
}

/** Settles every paper option position whose expiration day has closed (see the module). */
export async function settleExpiredOptions(deps: ExpiryDeps): Promise<ExpiryReport> {
  const report: ExpiryReport = { settled: 0, canceled: 0, pending: 0, users: [] };
  const [held, working] = await Promise.all([
    deps.db.query<{ user_id: number; symbol: string; qty: string }>(
      `select user_id, symbol, qty::text from paper_positions where multiplier <> 1
       order by user_id, symbol`,
    ),
    deps.db.query<{ id: string; symbol: string; legs: string[] | null }>(
      `select o.id, o.symbol, (select array_agg(l.symbol) from order_legs l
         where l.order_id = o.id) as legs
       from orders o where o.broker = 'paper' and o.asset_class = 'us_option'
         and o.status in ('accepted', 'new', 'partially_filled')`,
    ),
  ]);
  if (held.length === 0 && working.length === 0) return report;
  const clock = await deps.market.clock();
  const over = (symbol: string) => {
    const c = parseOcc(symbol);
    return c !== null && expired(c.expiration, clock) ? c : null;
  };

  for (const o of working) {
    const gone = (o.legs ?? [o.symbol]).map(over).find((c) => c !== null);
    if (!gone) continue;
    const rows = await deps.db.query(
      `update orders set status = 'canceled', canceled_at = now(), updated_at = now(),
         reason = $2
       where id = $1 and status in ('accepted', 'new', 'partially_filled') returning id`,
      [o.id, `${gone.symbol} expired at the close of ${gone.expiration}.`],
    );
    report.canceled += rows.length;
  }

  const due: (Due & { rank: number })[] = held.flatMap((p) => {
    const c = over(p.symbol);
    if (!c) return [];
    const rank = SETTLE_ORDER.indexOf(`${Number(p.qty) < 0 ? "short" : "long"} ${c.type}`);
    return [{ userId: p.user_id, contract: c, underlying: underlyingOf(c.underlying), rank }];
  });
  // Per user, in the order that lets settlements meet (see SETTLE_ORDER); stable otherwise.
  due.sort((a, b) => a.userId - b.userId || a.rank - b.rank);
  const closes = new Map<string, number | null>();
  const users = new Set<number>();
  for (const d of due) {
    const key = `${d.underlying} ${d.contract.expiration}`;
    if (!closes.has(key)) closes.set(key, await closeOn(deps, d.underlying, d.contract.expiration));
    const close = closes.get(key)!;
    if (close === null) {
      report.pending++;
      continue;
    }
    try {
      if (await settleOne(deps, d, close)) {
        report.settled++;
        users.add(d.userId);
      }
    } catch (err) {
      report.pending++;
      deps.log?.error("option settlement failed", {
        userId: d.userId,
        symbol: d.contract.symbol,
        error: String(err),
      });
    }
  }
  report.users = [...users];
  return report;
}

/** The underlying's close on `date`, from its daily bar; null when the bar is not there yet. */
async function closeOn(deps: ExpiryDeps, symbol: string, date: string): Promise<number | null> {
  try {
    const bars = await deps.market.bars(symbol, { interval: "daily", start: date, end: date });
    return bars.bars.find((b) => b.time === date)?.close ?? null;
  } catch (err) {
    deps.log?.warn("option settlement: no close", { symbol, date, error: String(err) });
    return null;
  }
}

/** Settles one position in one transaction; false when it was already settled. */
async function settleOne(deps: ExpiryDeps, d: Due, close: number): Promise<boolean> {
  return await deps.db.transaction(async (tx) => {
    await lockAccount(tx, d.userId);
    const [pos] = await tx.query<{ qty: string; multiplier: number }>(
      `select qty, multiplier from paper_positions where user_id = $1 and symbol = $2
       for update`,
      [d.userId, d.contract.symbol],
    );
    if (!pos) return false;
    const [acct] = await tx.query<{ cash: string }>(
      "select cash from paper_accounts where user_id = $1",
      [d.userId],
    );
    const [shares] = await tx.query<{ qty: string }>(
      "select qty from paper_positions where user_id = $1 and symbol = $2 and multiplier = 1",
      [d.userId, d.underlying],
    );
    const index = d.underlying in INDEX_SYMBOLS;
    const settings = await getSettings(tx, d.userId);
    const qty = Number(pos.qty);
    let cash = Number(acct.cash);
    const held = Number(shares?.qty ?? 0);
    // Shares bought past a short stock position they close (which costs no buying power: the
    // short has held its value against buying power all along) must fit in buying power.
    const opening = qty * OPTION_MULTIPLIER - Math.max(0, -held);
    if (!index && qty > 0 && d.contract.type === "call" && opening > 0) {
      const at = await readAtFill(tx, d.userId, NO_ORDER);
      const bp = await buyingPowerAtFill(deps.market, at, null, Date.now());
      const covering = (qty * OPTION_MULTIPLIER - opening) * d.contract.strike;
      cash = Math.min(cash, bp + covering);
    }
    // No index shares exist: an index option can only settle for cash, which `settle` does
    // when the shares cannot be held.
    const s = settle({ contract: d.contract, qty }, {
      underlyingClose: close,
      cash: index ? 0 : cash,
      sharesHeld: index ? 0 : held,
      allowShortSelling: index ? false : settings.allowShortSelling,
    });
    const note = noteOf(s, d, index, deps.market.source === "replay");
    await applySettlement(tx, {
      userId: d.userId,
      symbol: s.option.symbol,
      side: s.option.side,
      qty: s.option.qty,
      price: s.option.price,
      multiplier: Number(pos.multiplier) || OPTION_MULTIPLIER,
      reason: s.reason,
      note,
    });
    if (s.shares) {
      await applySettlement(tx, {
        userId: d.userId,
        symbol: d.underlying,
        side: s.shares.side,
        qty: s.shares.qty,
        price: s.shares.price,
        multiplier: 1,
        reason: s.reason,
        note,
      });
    }
    return true;
  });
}

function noteOf(s: Settlement, d: Due, index: boolean, replay: boolean): string {
  let note = s.note;
  if (index && s.cashSettled) {
    note = note.replace(/: [^:]*\.$/, ": index options settle in cash.");
  }
  if (replay) {
    note +=
      ` (Replay: ${d.underlying}'s close on ${d.contract.expiration} in the shipped history.)`;
  }
  return note.slice(0, 300);
}
