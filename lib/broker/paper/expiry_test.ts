/**
 * Option expiry on the paper broker against a real database: after the close of the expiration
 * day, long options in the money become shares (or cash when the shares cannot be paid for),
 * short ones are assigned, the others expire at 0; each event is booked as fills with its
 * reason and note, the ledger still balances, and settling twice settles once.
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import type { Database } from "../../db/database.ts";
import { createTestUser, withTestDatabases } from "../../db/testing.ts";
import { openReplayForTest, ScriptedMarketData } from "../../market/testing.ts";
import { formatOcc } from "../../options/occ.ts";
import { updateSettings } from "../../settings.ts";
import type { OrderRequest } from "../types.ts";
import { PaperBroker } from "./broker.ts";
import { settleExpiredOptions } from "./expiry.ts";

const EXP = "2026-11-20";
const call = (k: number) => formatOcc("AAPL", EXP, "call", k);
const put = (k: number) => formatOcc("AAPL", EXP, "put", k);

async function rig(db: Database, settings: Record<string, unknown> = {}) {
  const user = await createTestUser(db);
  await updateSettings(db, user, {
    maxPositionPercent: 100,
    maxOrderValue: 1_000_000,
    ...settings,
  });
  const market = new ScriptedMarketData();
  market.setQuote("AAPL", { bid: 149.9, ask: 150.1, last: 150 });
  market.setOption(call(150), { bid: 2.4, ask: 2.6 });
  market.setOption(put(145), { bid: 1.4, ask: 1.6 });
  return { market, broker: new PaperBroker({ db, market }), user };
}

const open = (symbol: string, side: "buy" | "sell", qty = 1): OrderRequest => ({
  symbol,
  side,
  type: "market",
  timeInForce: "day",
  qty,
  positionIntent: side === "buy" ? "buy_to_open" : "sell_to_open",
  clientOrderId: crypto.randomUUID(),
});

/** The expiration day's close has passed, and the underlying closed at `close`. */
function closeExpiration(market: ScriptedMarketData, close: number, date = EXP) {
  market.setState("postmarket", date);
  market.setClose("AAPL", date, close);
}

async function trades(db: Database, user: number) {
  return await db.query<
    { symbol: string; side: string; quantity: string; price: string; reason: string; note: string }
  >(
    `select symbol, side, trim_scale(quantity)::text as quantity, trim_scale(price)::text as price,
       reason, note from trades
     where user_id = $1 and reason <> 'trade' order by id`,
    [user],
  );
}

async function assertLedger(db: Database, user: number) {
  const [r] = await db.query<{ lhs: string; rhs: string; trades: string; realized: string }>(
    `select (a.cash + coalesce((select sum(cost_basis) from paper_positions where user_id = $1), 0))
              ::text as lhs,
            (a.starting_cash + a.realized_pl)::text as rhs,
            (select coalesce(sum(realized_pl), 0) from trades where user_id = $1)::text as trades,
            a.realized_pl::text as realized
     from paper_accounts a where a.user_id = $1`,
    [user],
  );
  equal(r.lhs, r.rhs, "cash + cost basis = starting cash + realized");
  equal(Number(r.realized), Number(r.trades), "account realized = Σ trade realized");
}

withTestDatabases(
  "expiry: a long call in the money is exercised into shares at the strike",
  async (db) => {
    const { market, broker, user } = await rig(db);
    await broker.submit(user, open(call(150), "buy", 2));
    // The expiration day's session is still open: nothing settles yet.
    market.setState("open", EXP);
    market.setClose("AAPL", EXP, 160);
    equal((await broker.sync()).settled, 0);
    closeExpiration(market, 160);
    const report = await broker.sync();
    equal(report.settled, 1);
    deepEqual(
      (await trades(db, user)).map((t) => [t.symbol, t.side, t.quantity, t.price, t.reason]),
      [
        [call(150), "sell", "2", "0", "exercise"],
        ["AAPL", "buy", "200", "150", "exercise"],
      ],
    );
    const [t] = await trades(db, user);
    ok(t.note.startsWith("AAPL 2026-11-20 150 call exercised at 150: bought 200 AAPL"), t.note);
    const positions = await broker.positions(user);
    deepEqual(positions.map((p) => [p.symbol, p.qty, p.costBasis]), [["AAPL", 200, 30_000]]);
    const acct = await broker.account(user);
    equal(acct.cash, 100_000 - 520 - 30_000);
    // The premium paid is the option's realized loss; the shares carry the value.
    equal(acct.realizedPl, -520);
    const fills = await broker.fills(user);
    const exercise = fills.find((f) => f.symbol === call(150))!;
    equal(exercise.reason, "exercise");
    equal(exercise.multiplier, 100);
    equal(exercise.notional, 0);
    ok(exercise.note?.includes("exercised"));
    await assertLedger(db, user);
    // Settled once: nothing is left to settle.
    equal((await broker.sync()).settled, 0);
    equal((await trades(db, user)).length, 2);
  },
);

withTestDatabases(
  "expiry: out of the money expires at 0; a short put in the money is assigned",
  async (db) => {
    const { market, broker, user } = await rig(db);
    await broker.submit(user, open(call(150), "buy"));
    await broker.submit(user, open(put(145), "sell"));
    closeExpiration(market, 140);
    equal((await settleExpiredOptions({ db, market })).settled, 2);
    deepEqual(
      (await trades(db, user)).map((t) => [t.symbol, t.side, t.quantity, t.price, t.reason]),
      [
        // Shorts settle first (see expiry.ts).
        [put(145), "buy", "1", "0", "assignment"],
        ["AAPL", "buy", "100", "145", "assignment"],
        [call(150), "sell", "1", "0", "expired"],
      ],
    );
    const otm = (await trades(db, user))[2];
    ok(otm.note.includes("expired worthless"), otm.note);
    ok(otm.note.includes("out of the money"), otm.note);
    const acct = await broker.account(user);
    // Paid 260 for the call (lost), received 140 for the put (kept), bought 100 shares at 145.
    equal(acct.cash, 100_000 - 260 + 140 - 14_500);
    equal(acct.realizedPl, -260 + 140);
    deepEqual((await broker.positions(user)).map((p) => [p.symbol, p.qty]), [["AAPL", 100]]);
    await assertLedger(db, user);
  },
);

withTestDatabases(
  "expiry: shares the cash cannot pay for are settled in cash at intrinsic value",
  async (db) => {
    const { market, broker, user } = await rig(db, { startingCash: 10_000 });
    await broker.submit(user, open(call(150), "buy"));
    // A resting order on the contract is canceled when it expires.
    const resting = await broker.submit(user, {
      ...open(call(150), "sell"),
      positionIntent: "sell_to_close",
      type: "limit",
      limitPrice: 50,
      timeInForce: "gtc",
    });
    equal(resting.order.status, "new");
    closeExpiration(market, 160.5);
    const report = await broker.sync();
    equal(report.settled, 1);
    const canceled = await broker.order(user, resting.order.id);
    equal(canceled.status, "canceled");
    ok(canceled.reason?.includes("expired"), canceled.reason ?? "");
    const t = await trades(db, user);
    deepEqual(t.map((x) => [x.symbol, x.side, x.price, x.reason]), [
      [call(150), "sell", "10.5", "exercise"],
    ]);
    ok(t[0].note.includes("for cash at its intrinsic value 10.50"), t[0].note);
    ok(t[0].note.includes("the cash does not pay for 100 AAPL"), t[0].note);
    const acct = await broker.account(user);
    equal(acct.cash, 10_000 - 260 + 1050);
    equal(acct.realizedPl, 790);
    deepEqual(await broker.positions(user), []);
    await assertLedger(db, user);
  },
);

withTestDatabases(
  "expiry: a long call is exercised with buying power, not cash a short put secures",
  async (db) => {
    const { market, broker, user } = await rig(db, { startingCash: 25_000 });
    const later = formatOcc("AAPL", "2026-12-18", "put", 145);
    market.setOption(later, { bid: 1.4, ask: 1.6 });
    await broker.submit(user, open(call(150), "buy"));
    await broker.submit(user, open(later, "sell"));
    // Cash 24,880 would pay for 100 shares at 150, but 14,360 of it secures the put.
    const before = await broker.account(user);
    equal(before.cash, 25_000 - 260 + 140);
    ok(before.buyingPower < 15_000, String(before.buyingPower));
    closeExpiration(market, 160);
    equal((await broker.sync()).settled, 1);
    const t = await trades(db, user);
    deepEqual(t.map((x) => [x.symbol, x.side, x.price, x.reason]), [
      [call(150), "sell", "10", "exercise"],
    ]);
    ok(t[0].note.includes("for cash at its intrinsic value 10.00"), t[0].note);
    deepEqual((await broker.positions(user)).map((p) => [p.symbol, p.qty]), [[later, -1]]);
    const after = await broker.account(user);
    equal(after.cash, 25_000 - 260 + 140 + 1_000);
    await assertLedger(db, user);
  },
);

withTestDatabases(
  "expiry: a short put assigned first frees nothing a long call could take twice",
  async (db) => {
    // Both expire in the money at 140. The put's assignment spends the cash it secured before
    // the call is looked at, so the call's exercise finds only the rest and settles for cash;
    // in symbol order the call would have taken that cash and left the put unpaid.
    const { market, broker, user } = await rig(db, { startingCash: 20_000 });
    const low = formatOcc("AAPL", EXP, "call", 130);
    market.setOption(low, { bid: 19.9, ask: 20.1 });
    await broker.submit(user, open(low, "buy"));
    await broker.submit(user, open(put(145), "sell"));
    closeExpiration(market, 140);
    equal((await broker.sync()).settled, 2);
    deepEqual(
      (await trades(db, user)).map((t) => [t.symbol, t.side, t.quantity, t.price, t.reason]),
      [
        [put(145), "buy", "1", "0", "assignment"],
        ["AAPL", "buy", "100", "145", "assignment"],
        [low, "sell", "1", "10", "exercise"],
      ],
    );
    const acct = await broker.account(user);
    equal(acct.cash, 20_000 - 2_010 + 140 - 14_500 + 1_000);
    deepEqual((await broker.positions(user)).map((p) => [p.symbol, p.qty]), [["AAPL", 100]]);
    await assertLedger(db, user);
  },
);

withTestDatabases(
  "expiry: a call spread in the money ends flat: the long call's shares meet the short's assignment",
  async (db) => {
    for (const [long, short] of [[140, 150], [150, 140]]) {
      // Bull (buy 140, sell 150) and bear (sell 140, buy 150) spreads, short selling off.
      const { market, broker, user } = await rig(db);
      market.setOption(call(140), { bid: 10.9, ask: 11.1 });
      const spread = await broker.submit(user, {
        symbol: "AAPL",
        side: long < short ? "buy" : "sell",
        type: "market",
        timeInForce: "day",
        qty: 1,
        orderClass: "mleg",
        legs: [
          { symbol: call(long), side: "buy", ratioQty: 1, positionIntent: "buy_to_open" },
          { symbol: call(short), side: "sell", ratioQty: 1, positionIntent: "sell_to_open" },
        ],
        clientOrderId: crypto.randomUUID(),
      });
      equal(spread.order.status, "filled", spread.order.reason ?? "");
      closeExpiration(market, 160);
      equal((await broker.sync()).settled, 2);
      deepEqual(
        (await trades(db, user)).map((t) => [t.symbol, t.side, t.quantity, t.price, t.reason]),
        [
          [call(long), "sell", "1", "0", "exercise"],
          ["AAPL", "buy", "100", String(long), "exercise"],
          [call(short), "buy", "1", "0", "assignment"],
          ["AAPL", "sell", "100", String(short), "assignment"],
        ],
      );
      deepEqual(await broker.positions(user), []);
      await assertLedger(db, user);
    }
  },
);

withTestDatabases(
  "expiry: a long call closing a short stock position is exercised into the cover",
  async (db) => {
    // Buying power (short marked at 160) is below the 14,000 the exercise pays, cash is not:
    // closing a short costs no buying power, so the call covers it.
    const { market, broker, user } = await rig(db, {
      startingCash: 16_000,
      allowShortSelling: true,
    });
    market.setOption(call(140), { bid: 10.9, ask: 11.1 });
    const short = await broker.submit(user, {
      symbol: "AAPL",
      side: "sell",
      type: "market",
      timeInForce: "day",
      qty: 100,
      clientOrderId: crypto.randomUUID(),
    });
    equal(short.order.status, "filled", short.order.reason ?? "");
    equal((await broker.submit(user, open(call(140), "buy"))).order.status, "filled");
    market.setQuote("AAPL", { bid: 159.9, ask: 160.1, last: 160 });
    closeExpiration(market, 160);
    ok((await broker.account(user)).buyingPower < 14_000);
    equal((await broker.sync()).settled, 1);
    deepEqual(
      (await trades(db, user)).map((t) => [t.symbol, t.side, t.quantity, t.price, t.reason]),
      [
        [call(140), "sell", "1", "0", "exercise"],
        ["AAPL", "buy", "100", "140", "exercise"],
      ],
    );
    deepEqual(await broker.positions(user), []);
    await assertLedger(db, user);
  },
);

withTestDatabases("expiry: concurrent settlers settle a position once", async (db) => {
  const { market, broker, user } = await rig(db);
  await broker.submit(user, open(call(150), "buy"));
  closeExpiration(market, 155);
  const reports = await Promise.all([
    settleExpiredOptions({ db, market }),
    settleExpiredOptions({ db, market }),
    broker.sync(),
  ]);
  equal(reports[0].settled + reports[1].settled + (reports[2].settled ?? 0), 1);
  equal((await trades(db, user)).length, 2);
  await assertLedger(db, user);
});

withTestDatabases(
  "expiry: in replay, against the history's close of the expiration day",
  async (db) => {
    // The inner replay stands in February 2020, after the 2020-01-17 monthly expiration.
    const inner = openReplayForTest({ start: "2020-02-03" });
    const market = new ScriptedMarketData(inner);
    try {
      const expiration = "2020-01-17";
      const bars = await inner.bars("AAPL", {
        interval: "daily",
        start: expiration,
        end: expiration,
      });
      const close = bars.bars.find((b) => b.time === expiration)!.close;
      const strike = Math.floor(close) - 5;
      const itm = formatOcc("AAPL", expiration, "call", strike);
      const otm = formatOcc("AAPL", expiration, "put", strike);
      const user = await createTestUser(db);
      await updateSettings(db, user, { maxPositionPercent: 100, maxOrderValue: 1_000_000 });
      const broker = new PaperBroker({ db, market });
      market.setState("open", "2020-01-10");
      market.setQuote("AAPL", { bid: close, ask: close, last: close });
      market.setOption(itm, { bid: 6, ask: 6.2 });
      market.setOption(otm, { bid: 0.3, ask: 0.4 });
      await broker.submit(user, open(itm, "buy"));
      await broker.submit(user, open(otm, "buy"));
      market.setState("closed", "2020-01-21");
      equal((await broker.sync()).settled, 2);
      const t = await trades(db, user);
      deepEqual(t.map((x) => [x.symbol, x.side, Number(x.price), x.reason]), [
        [itm, "sell", 0, "exercise"],
        ["AAPL", "buy", strike, "exercise"],
        [otm, "sell", 0, "expired"],
      ]);
      ok(t[2].note.includes(`AAPL closed at ${close.toFixed(2)}`), t[2].note);
      ok(
        t[0].note.includes("Replay: AAPL's close on 2020-01-17 in the shipped history"),
        t[0].note,
      );
      await assertLedger(db, user);
    } finally {
      await market.close();
    }
  },
);

/** The user's equity points, oldest first. */
async function snapshots(db: Database, user: number) {
  return await db.query<{ equity: string; cash: string }>(
    "select equity::text, cash::text from equity_snapshots where user_id = $1 order by at, equity",
    [user],
  );
}

withTestDatabases(
  "expiry: each settled user's history gets its equity point at once, others none",
  async (db) => {
    const { market, broker, user } = await rig(db);
    const bystander = await createTestUser(db);
    await updateSettings(db, bystander, { maxPositionPercent: 100 });
    await broker.submit(user, open(call(150), "buy", 2));
    await broker.submit(bystander, { ...open("AAPL", "buy", 10), positionIntent: undefined });
    const before = (await snapshots(db, user)).length;
    const bystanders = (await snapshots(db, bystander)).length;
    closeExpiration(market, 160);

    const report = await broker.settleExpiries();
    equal(report.settled, 1);
    deepEqual(report.users, [user]);
    const points = await snapshots(db, user);
    equal(points.length, before + 1);
    // Before, the calls paid 520 were marked at 500; after, 200 shares bought at 150 by the
    // exercise are marked at AAPL's last 150: the 20 of mark above the premium is gone.
    equal(points.at(-2)?.equity, "99980.00");
    const acct = await broker.account(user);
    equal(acct.equity, 100_000 - 520);
    deepEqual(points.at(-1), { equity: acct.equity.toFixed(2), cash: acct.cash.toFixed(2) });
    equal((await snapshots(db, bystander)).length, bystanders);
    // Nothing settles twice, and no point is written for nothing.
    deepEqual((await broker.sync()).settled, 0);
    equal((await snapshots(db, user)).length, before + 1);
  },
);
