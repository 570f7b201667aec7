/**
 * A resting stock buy is judged again when its price comes, against buying power: the cash that
 * secures a short put held, or that a resting option sell holds, is not cash the buy may spend.
 * The account moves while an order rests (a stop fills above its stop when the price gaps, a
 * short stock's rise takes buying power), so the fill may find less than the order was placed
 * against. Real database (PGlite and the server), scripted quotes.
 */
import { equal, ok } from "node:assert/strict";
import type { Database } from "../../db/database.ts";
import { createTestUser, withTestDatabases } from "../../db/testing.ts";
import { ScriptedMarketData } from "../../market/testing.ts";
import { formatOcc } from "../../options/occ.ts";
import { updateSettings } from "../../settings.ts";
import type { OrderRequest } from "../types.ts";
import { PaperBroker } from "./broker.ts";

const put145 = formatOcc("AAPL", "2026-11-20", "put", 145);

async function rig(db: Database, settings: Record<string, unknown> = {}) {
  const user = await createTestUser(db);
  await updateSettings(db, user, {
    startingCash: 20_000,
    maxPositionPercent: 100,
    maxOrderValue: 1_000_000,
    ...settings,
  });
  const market = new ScriptedMarketData();
  market.setQuote("AAPL", { bid: 149.9, ask: 150.1, last: 150 });
  market.setQuote("MSFT", { bid: 169.9, ask: 170.1, last: 170 });
  market.setOption(put145, { bid: 1.4, ask: 1.6 });
  return { market, broker: new PaperBroker({ db, market }), user };
}

const order = (o: Partial<OrderRequest>): OrderRequest => ({
  symbol: "MSFT",
  side: "buy",
  type: "market",
  timeInForce: "gtc",
  qty: 1,
  clientOrderId: crypto.randomUUID(),
  ...o,
});

const sellPut = (o: Partial<OrderRequest> = {}) =>
  order({ symbol: put145, side: "sell", positionIntent: "sell_to_open", ...o });

async function msftHeld(broker: PaperBroker, user: number) {
  return (await broker.positions(user)).find((p) => p.symbol === "MSFT")?.qty ?? 0;
}

withTestDatabases(
  "fill time: a gapped stop buy may not spend the cash securing a short put",
  async (db) => {
    const { market, broker, user } = await rig(db);
    // 20,000 + 140 of premium; the put secures 14,500 of it: 5,640 left to spend.
    equal((await broker.submit(user, sellPut())).order.status, "filled");
    equal((await broker.account(user)).buyingPower, 5_640);
    // 30 shares stopping at 180 were placed against 5,400; the price gaps to 200.10: 6,003.
    const stop = await broker.submit(user, order({ type: "stop", stopPrice: 180, qty: 30 }));
    equal(stop.order.status, "new");
    market.setQuote("MSFT", { bid: 199.9, ask: 200.1, last: 200 });
    await broker.sync();

    const after = await broker.order(user, stop.order.id);
    equal(after.status, "canceled");
    ok(after.reason?.startsWith("Canceled at fill time: $6003.00 needed"), after.reason ?? "");
    ok(after.reason?.includes("buying power is $5640.00"), after.reason ?? "");
    equal(await msftHeld(broker, user), 0);
    const acct = await broker.account(user);
    equal(acct.cash, 20_140);
    equal(acct.buyingPower, 5_640);

    // A gap that stays within buying power fills: 27 placed at 205 (5,535) fill at 208.10.
    const fits = await broker.submit(user, order({ type: "stop", stopPrice: 205, qty: 27 }));
    equal(fits.order.status, "new");
    market.setQuote("MSFT", { bid: 207.9, ask: 208.1, last: 208 });
    await broker.sync();
    equal((await broker.order(user, fits.order.id)).status, "filled");
    equal(await msftHeld(broker, user), 27);
    equal((await broker.account(user)).buyingPower, 21.3);
  },
);

withTestDatabases(
  "fill time: a resting buy limit is refused once a short stock's rise took its buying power",
  async (db) => {
    const { market, broker, user } = await rig(db, { allowShortSelling: true });
    // Short 10 AAPL (+1,499 of cash, 1,500 at its mark) and sell the put (+140, 14,500 held).
    equal(
      (await broker.submit(user, order({ symbol: "AAPL", side: "sell", qty: 10 }))).order
        .status,
      "filled",
    );
    equal((await broker.submit(user, sellPut())).order.status, "filled");
    equal((await broker.account(user)).buyingPower, 5_639);
    // A buy limit needing 5,400 of the 5,639 rests below the market.
    market.setQuote("MSFT", { bid: 185, ask: 185.2, last: 185 });
    const limit = await broker.submit(user, order({ type: "limit", limitPrice: 180, qty: 30 }));
    equal(limit.order.status, "new");
    equal((await broker.account(user)).buyingPower, 239);
    // AAPL rises to 175: the short is marked at 1,750, and 5,389 is left besides the limit's own.
    market.setQuote("AAPL", { bid: 174.9, ask: 175.1, last: 175 });
    equal((await broker.account(user)).buyingPower, 0);
    // The market crosses the limit: 30 × 180 = 5,400, more than is left, though cash is 21,639.
    market.setQuote("MSFT", { bid: 179.8, ask: 180, last: 180 });
    await broker.sync();

    const after = await broker.order(user, limit.order.id);
    equal(after.status, "canceled");
    ok(after.reason?.includes("buying power is $5389.00"), after.reason ?? "");
    equal(await msftHeld(broker, user), 0);
    equal((await broker.account(user)).cash, 21_639);
  },
);

withTestDatabases(
  "fill time: a stock buy may not spend what a resting cash-secured put sell holds",
  async (db) => {
    const { market, broker, user } = await rig(db);
    // Asking 3.00 for the put, it rests and holds 14,500 − 300 = 14,200: 5,800 left.
    const csp = await broker.submit(user, sellPut({ type: "limit", limitPrice: 3 }));
    equal(csp.order.status, "new");
    equal((await broker.account(user)).buyingPower, 5_800);
    const stop = await broker.submit(user, order({ type: "stop", stopPrice: 180, qty: 30 }));
    equal(stop.order.status, "new");
    market.setQuote("MSFT", { bid: 199.9, ask: 200.1, last: 200 });
    await broker.sync();

    const after = await broker.order(user, stop.order.id);
    equal(after.status, "canceled");
    ok(after.reason?.includes("buying power is $5800.00"), after.reason ?? "");
    equal((await broker.order(user, csp.order.id)).status, "new");
    equal((await broker.account(user)).cash, 20_000);
  },
);

withTestDatabases(
  "fill time: a buy that covers a short and goes on into a long is judged for the long part",
  async (db) => {
    const { market, broker, user } = await rig(db, { allowShortSelling: true });
    // Short 10 AAPL, sell the put: 5,639 of buying power, as above.
    await broker.submit(user, order({ symbol: "AAPL", side: "sell", qty: 10 }));
    await broker.submit(user, sellPut());
    equal((await broker.account(user)).buyingPower, 5_639);
    // 40 shares stopping at 155 cover the 10 and buy 30 more (4,650 at the stop).
    const stop = await broker.submit(
      user,
      order({ symbol: "AAPL", type: "stop", stopPrice: 155, qty: 40 }),
    );
    equal(stop.order.status, "new");
    // The price gaps to 190.10: the 30 past the cover cost 5,703, more than is left.
    market.setQuote("AAPL", { bid: 189.9, ask: 190.1, last: 190 });
    await broker.sync();

    const after = await broker.order(user, stop.order.id);
    equal(after.status, "canceled");
    ok(after.reason?.startsWith("Canceled at fill time: $5703.00 needed"), after.reason ?? "");
    const aapl = (await broker.positions(user)).find((p) => p.symbol === "AAPL");
    equal(aapl?.qty, -10);

    // Covering alone costs no buying power: the same gap fills a buy of the 10 short.
    const cover = await broker.submit(
      user,
      order({ symbol: "AAPL", type: "stop", stopPrice: 195, qty: 10 }),
    );
    equal(cover.order.status, "new");
    market.setQuote("AAPL", { bid: 199.9, ask: 200.1, last: 200 });
    await broker.sync();
    equal((await broker.order(user, cover.order.id)).status, "filled");
    equal((await broker.positions(user)).find((p) => p.symbol === "AAPL"), undefined);
  },
);
