/**
 * The fake Alpaca server's option orders, with plain fetch, against
 * ../shared/api-contracts/alpaca.md (§4 options level, §5 option and mleg orders, §6 option
 * positions, §7 option events). If these pass, a client failing against the fake is at fault.
 */
import assert from "node:assert/strict";
import { type FakeAlpaca, type FakeAlpacaOptions, startFakeAlpaca } from "./alpaca.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

async function call(fake: FakeAlpaca, method: string, path: string, body?: unknown) {
  const res = await fetch(`${fake.url}${path}`, {
    method,
    headers: { ...fake.headers, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as Json };
}

async function withFake(opts: FakeAlpacaOptions, fn: (fake: FakeAlpaca) => Promise<void>) {
  const fake = await startFakeAlpaca({ prices: { AAPL: 190 }, ...opts });
  try {
    await fn(fake);
  } finally {
    await fake.close();
  }
}

const C190 = "AAPL300118C00190000";
const C200 = "AAPL300118C00200000";
const P180 = "AAPL300118P00180000";
const P170 = "AAPL300118P00170000";
const QUOTES = {
  [C190]: { bid: 5, ask: 5.2 },
  [C200]: { bid: 2, ask: 2.1 },
  [P180]: { bid: 3, ask: 3.1 },
  [P170]: { bid: 1.4, ask: 1.5 },
};

const option = (symbol: string, extra: Record<string, unknown> = {}) => ({
  symbol,
  qty: "1",
  side: "buy",
  type: "market",
  time_in_force: "day",
  position_intent: "buy_to_open",
  ...extra,
});

const vertical = (extra: Record<string, unknown> = {}) => ({
  order_class: "mleg",
  qty: "2",
  type: "limit",
  limit_price: "3.2",
  time_in_force: "day",
  legs: [
    { symbol: C190, ratio_qty: "1", side: "buy", position_intent: "buy_to_open" },
    { symbol: C200, ratio_qty: "1", side: "sell", position_intent: "sell_to_open" },
  ],
  ...extra,
});

Deno.test("options: the account states its level and options buying power", async () => {
  await withFake({ cash: 20_000, optionsLevel: 2 }, async (fake) => {
    const a = (await call(fake, "GET", "/v2/account")).body;
    assert.equal(a.options_trading_level, 2);
    assert.equal(a.options_approved_level, 2);
    assert.equal(a.options_buying_power, "20000");
    fake.setOptionsLevel(1);
    assert.equal((await call(fake, "GET", "/v2/account")).body.options_trading_level, 1);
  });
});

Deno.test("option orders: the §5.2 rules answer 422 and store nothing", async () => {
  await withFake({ optionQuotes: QUOTES }, async (fake) => {
    const legs = vertical().legs;
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ["gtc option", option(C190, { time_in_force: "gtc" }), /only "day"/],
      ["stop option", option(C190, { type: "stop", stop_price: "5" }), /not supported/],
      ["notional option", { ...option(C190), qty: undefined, notional: "500" }, /notional/],
      ["fractional contracts", option(C190, { qty: "1.5" }), /./],
      ["sub-cent limit", option(C190, { type: "limit", limit_price: "5.125" }), /cents/],
      ["unknown contract", option("AAPL300118C00999000"), /not found/],
      ["intent against side", option(C190, { position_intent: "sell_to_open" }), /match/],
      ["gtc mleg", vertical({ time_in_force: "gtc" }), /only "day"/],
      ["stop mleg", vertical({ type: "stop", limit_price: undefined }), /not supported/],
      ["mleg without limit", vertical({ limit_price: undefined }), /limit_price is required/],
      ["mleg market with limit", vertical({ type: "market" }), /not allowed/],
      ["mleg fractional units", vertical({ qty: "1.5" }), /whole/],
      ["five legs", vertical({ legs: [...legs, ...legs, legs[0]] }), /at most 4/],
      ["no legs", vertical({ legs: [] }), /legs are required/],
      [
        "missing ratio_qty",
        vertical({ legs: [{ ...legs[0], ratio_qty: undefined }, legs[1]] }),
        /ratio_qty is required/,
      ],
      [
        "zero ratio_qty",
        vertical({ legs: [{ ...legs[0], ratio_qty: "0" }, legs[1]] }),
        /ratio_qty/,
      ],
      ["stock leg", vertical({ legs: [{ ...legs[0], symbol: "AAPL" }, legs[1]] }), /not an option/],
      ["same contract twice", vertical({ legs: [legs[0], legs[0]] }), /different contract/],
      [
        "leg intent against side",
        vertical({ legs: [{ ...legs[0], side: "sell" }, legs[1]] }),
        /match/,
      ],
      [
        "unknown leg field",
        vertical({ legs: [{ ...legs[0], ratio: 1 }, legs[1]] }),
        /unknown field/,
      ],
      [
        "leg contract unknown",
        vertical({ legs: [legs[0], { ...legs[1], symbol: "AAPL300118C00999000" }] }),
        /not found/,
      ],
    ];
    for (const [name, body, message] of cases) {
      const res = await call(fake, "POST", "/v2/orders", body);
      assert.equal(res.status, 422, name);
      assert.equal(res.body.code, 40010001, name);
      assert.match(res.body.message, message, name);
    }
    assert.equal(fake.orders().length, 0);
  });
});

Deno.test("options level and cover: 403 40310000 when the account may not", async () => {
  await withFake({ optionQuotes: QUOTES, optionsLevel: 0 }, async (fake) => {
    const none = await call(fake, "POST", "/v2/orders", option(C190));
    assert.equal(none.status, 403);
    assert.equal(none.body.code, 40310000);
    assert.match(none.body.message, /not authorized to trade options/);
    fake.setOptionsLevel(1);
    assert.match(
      (await call(fake, "POST", "/v2/orders", option(C190))).body.message,
      /level 1 does not permit buying/,
    );
    // Level 1 writes covered calls only: 100 shares a contract.
    const naked = await call(
      fake,
      "POST",
      "/v2/orders",
      option(C190, { side: "sell", position_intent: "sell_to_open" }),
    );
    assert.equal(naked.status, 403);
    assert.match(naked.body.message, /uncovered call: 100 shares of AAPL needed, 0 available/);
    await call(fake, "POST", "/v2/orders", {
      ...option("AAPL"),
      position_intent: undefined,
      qty: "100",
    });
    const covered = await call(
      fake,
      "POST",
      "/v2/orders",
      option(C190, { side: "sell", position_intent: "sell_to_open" }),
    );
    assert.equal(covered.status, 200);
    assert.equal(covered.body.status, "filled");
    const second = await call(
      fake,
      "POST",
      "/v2/orders",
      option(C200, { side: "sell", position_intent: "sell_to_open" }),
    );
    assert.match(second.body.message, /100 shares of AAPL needed, 0 available/);
    fake.setOptionsLevel(2);
    const mleg = await call(fake, "POST", "/v2/orders", vertical());
    assert.equal(mleg.status, 403);
    assert.match(mleg.body.message, /level 2 does not permit multi-leg/);
    fake.setOptionsLevel(3);
    const bare = await call(fake, "POST", "/v2/orders", vertical({ legs: [vertical().legs[1]] }));
    assert.equal(bare.status, 403);
    assert.match(bare.body.message, /uncovered short leg/);
    // Closing what is not held is refused like a stock sell.
    const close = await call(
      fake,
      "POST",
      "/v2/orders",
      option(P180, { side: "sell", position_intent: "sell_to_close" }),
    );
    assert.equal(close.status, 403);
    assert.match(close.body.message, /insufficient qty available/);
  });
});

Deno.test("a cash-secured put needs strike × 100 of buying power", async () => {
  await withFake({ optionQuotes: QUOTES, cash: 17_000 }, async (fake) => {
    const put = option(P180, { side: "sell", position_intent: "sell_to_open" });
    const res = await call(fake, "POST", "/v2/orders", put);
    assert.equal(res.status, 403);
    assert.deepEqual(res.body, {
      code: 40310000,
      message: "insufficient options buying power to secure the put",
      buying_power: "17000",
      cost_basis: "18000",
    });
    const ok = await call(fake, "POST", "/v2/orders", { ...put, symbol: P170 });
    assert.equal(ok.body.status, "filled");
    // The premium came in; the strike stays held while the put is short.
    const a = (await call(fake, "GET", "/v2/account")).body;
    assert.equal(a.cash, "17140");
    assert.equal(a.buying_power, "140");
  });
});

Deno.test("single contract: buy to open at the ask, marked at the mid, sell to close at the bid", async () => {
  await withFake({ optionQuotes: QUOTES }, async (fake) => {
    const { status, body: order } = await call(
      fake,
      "POST",
      "/v2/orders",
      option(C190, { qty: 2 }),
    );
    assert.equal(status, 200);
    assert.equal(order.asset_class, "us_option");
    assert.equal(order.order_class, "");
    assert.equal(order.symbol, C190);
    assert.equal(order.position_intent, "buy_to_open");
    assert.equal(order.status, "filled");
    assert.equal(order.filled_avg_price, "5.2");
    assert.equal(order.legs, null);
    assert.ok(!("ratio_qty" in order));
    const pos = (await call(fake, "GET", `/v2/positions/${C190}`)).body;
    assert.equal(pos.asset_class, "us_option");
    assert.equal(pos.qty, "2");
    assert.equal(pos.avg_entry_price, "5.2");
    assert.equal(pos.cost_basis, "1040");
    assert.equal(pos.current_price, "5.1");
    assert.equal(pos.market_value, "1020");
    assert.equal(pos.unrealized_pl, "-20");
    let a = (await call(fake, "GET", "/v2/account")).body;
    assert.equal(a.cash, "98960");
    assert.equal(a.long_market_value, "1020");
    assert.equal(a.equity, "99980");
    const [fill] = (await call(fake, "GET", "/v2/account/activities/FILL")).body;
    assert.equal(fill.symbol, C190);
    assert.equal(fill.qty, "2");
    assert.equal(fill.price, "5.2");

    fake.setOptionQuote(C190, { bid: 6, ask: 6.3 });
    const sold = await call(
      fake,
      "POST",
      "/v2/orders",
      option(C190, { side: "sell", position_intent: "sell_to_close", qty: "2" }),
    );
    assert.equal(sold.body.filled_avg_price, "6");
    assert.equal((await call(fake, "GET", `/v2/positions/${C190}`)).status, 404);
    a = (await call(fake, "GET", "/v2/account")).body;
    assert.equal(a.cash, "100160");
  });
});

Deno.test("a limit option order rests and fills when the quote crosses it", async () => {
  await withFake({ optionQuotes: QUOTES }, async (fake) => {
    const res = await call(
      fake,
      "POST",
      "/v2/orders",
      option(C190, { type: "limit", limit_price: "4.9" }),
    );
    assert.equal(res.body.status, "new");
    // The limit is held from buying power while it rests.
    assert.equal((await call(fake, "GET", "/v2/account")).body.buying_power, "99510");
    fake.setOptionQuote(C190, { bid: 4.7, ask: 4.85 });
    const filled = (await call(fake, "GET", `/v2/orders/${res.body.id}`)).body;
    assert.equal(filled.status, "filled");
    assert.equal(filled.filled_avg_price, "4.85");
    const closed = await call(fake, "DELETE", `/v2/positions/${C190}?percentage=50`);
    assert.equal(closed.status, 422, "half of one contract is no whole contract");
    const all = await call(fake, "DELETE", `/v2/positions/${C190}`);
    assert.equal(all.body.position_intent, "sell_to_close");
    assert.equal(all.body.time_in_force, "day");
    assert.equal(all.body.filled_avg_price, "4.7");
  });
});

Deno.test("mleg vertical: legs filled together, each with its FILL; nested and flat lists", async () => {
  await withFake({ optionQuotes: QUOTES }, async (fake) => {
    const { status, body: order } = await call(fake, "POST", "/v2/orders", vertical());
    assert.equal(status, 200);
    assert.equal(order.order_class, "mleg");
    assert.equal(order.asset_class, "us_option");
    assert.equal(order.symbol, "");
    assert.equal(order.side, "");
    assert.equal(order.qty, "2");
    assert.equal(order.limit_price, "3.2");
    assert.equal(order.status, "filled");
    // A net debit of 5.2 − 2 = 3.2 a unit.
    assert.equal(order.filled_avg_price, "3.2");
    assert.deepEqual(
      order.legs.map((
        l: Json,
      ) => [
        l.symbol,
        l.side,
        l.ratio_qty,
        l.position_intent,
        l.qty,
        l.filled_qty,
        l.filled_avg_price,
        l.status,
      ]),
      [
        [C190, "buy", "1", "buy_to_open", "2", "2", "5.2", "filled"],
        [C200, "sell", "1", "sell_to_open", "2", "2", "2", "filled"],
      ],
    );
    const fills = (await call(fake, "GET", "/v2/account/activities/FILL?direction=asc")).body;
    assert.deepEqual(
      fills.map((f: Json) => [f.order_id, f.symbol, f.side, f.qty, f.price]),
      [
        [order.legs[0].id, C190, "buy", "2", "5.2"],
        [order.legs[1].id, C200, "sell", "2", "2"],
      ],
    );
    assert.equal((await call(fake, "GET", "/v2/account")).body.cash, "99360");
    const positions = (await call(fake, "GET", "/v2/positions")).body;
    assert.deepEqual(positions.map((p: Json) => [p.symbol, p.qty, p.side]), [
      [C190, "2", "long"],
      [C200, "-2", "short"],
    ]);
    const flat = (await call(fake, "GET", "/v2/orders?status=all")).body;
    assert.equal(flat.length, 3);
    assert.ok(flat.every((o: Json) => o.legs === null));
    const nested = (await call(fake, "GET", "/v2/orders?status=all&nested=true")).body;
    assert.equal(nested.length, 1);
    assert.equal(nested[0].legs.length, 2);
    const byClient = (await call(
      fake,
      "GET",
      `/v2/orders:by_client_order_id?client_order_id=${order.client_order_id}`,
    )).body;
    assert.equal(byClient.legs.length, 2);
    const options = (await call(fake, "GET", "/v2/orders?status=all&asset_class=us_equity")).body;
    assert.deepEqual(options, []);
  });
});

Deno.test("mleg credit: a negative limit rests until that credit is there", async () => {
  await withFake({ optionQuotes: QUOTES }, async (fake) => {
    // Bull put spread: sell the 180 put, buy the 170 put for a credit of at least 1.70.
    const res = await call(fake, "POST", "/v2/orders", {
      order_class: "mleg",
      qty: 1,
      type: "limit",
      limit_price: "-1.7",
      time_in_force: "day",
      legs: [
        { symbol: P180, ratio_qty: 1, position_intent: "sell_to_open" },
        { symbol: P170, ratio_qty: 1, position_intent: "buy_to_open" },
      ],
    });
    assert.equal(res.status, 200);
    assert.equal(res.body.status, "new");
    assert.equal(res.body.limit_price, "-1.7");
    assert.equal(res.body.legs[0].side, "sell", "side follows the intent");
    // Width 10 less the 1.70 credit, a contract of 100 shares.
    assert.equal((await call(fake, "GET", "/v2/account")).body.buying_power, "99170");
    fake.setOptionQuote(P180, { bid: 3.2, ask: 3.3 });
    const filled = (await call(fake, "GET", `/v2/orders/${res.body.id}`)).body;
    assert.equal(filled.status, "filled");
    assert.equal(filled.filled_avg_price, "-1.7");
    assert.equal((await call(fake, "GET", "/v2/account")).body.cash, "100170");
  });
});

Deno.test("mleg waits while the market is closed, legs and all, and cancels as one", async () => {
  await withFake({ optionQuotes: QUOTES }, async (fake) => {
    fake.setClock({ is_open: false });
    const res = await call(
      fake,
      "POST",
      "/v2/orders",
      vertical({ type: "market", limit_price: undefined }),
    );
    assert.equal(res.body.status, "accepted");
    assert.ok(res.body.legs.every((l: Json) => l.status === "accepted"));
    assert.equal((await call(fake, "DELETE", `/v2/orders/${res.body.id}`)).status, 204);
    const after = (await call(fake, "GET", `/v2/orders/${res.body.id}`)).body;
    assert.equal(after.status, "canceled");
    assert.ok(after.legs.every((l: Json) => l.status === "canceled"));
    const patch = await call(fake, "PATCH", `/v2/orders/${res.body.id}`, { limit_price: "3" });
    assert.equal(patch.status, 422);
  });
});

Deno.test("expiry: OTM expires, a long ITM call is exercised into shares, a short put assigned", async () => {
  await withFake({ optionQuotes: QUOTES, prices: { AAPL: 190 } }, async (fake) => {
    await call(fake, "POST", "/v2/orders", option(C190, { qty: 2 }));
    await call(fake, "POST", "/v2/orders", option(C200));
    await call(
      fake,
      "POST",
      "/v2/orders",
      option(P180, { side: "sell", position_intent: "sell_to_open" }),
    );
    const cashBefore = Number((await call(fake, "GET", "/v2/account")).body.cash);

    const otm = fake.expireOption(C200, { underlyingClose: 195 });
    assert.deepEqual(otm.map((a) => [a.activity_type, a.symbol, a.qty, a.net_amount]), [
      ["OPEXP", C200, "-1", "0"],
    ]);
    const exercised = fake.expireOption(C190, { underlyingClose: 195 });
    assert.deepEqual(
      exercised.map((a) => [a.activity_type, a.symbol, a.qty, a.price ?? null, a.net_amount]),
      [
        ["OPEXC", C190, "-2", null, "0"],
        ["OPTRD", "AAPL", "200", "190", "-38000"],
      ],
    );
    const assigned = fake.expireOption(P180, { underlyingClose: 175 });
    assert.deepEqual(assigned.map((a) => [a.activity_type, a.symbol, a.qty, a.price ?? null]), [
      ["OPASN", P180, "1", null],
      ["OPTRD", "AAPL", "100", "180"],
    ]);
    const positions = (await call(fake, "GET", "/v2/positions")).body;
    assert.deepEqual(positions.map((p: Json) => [p.symbol, p.qty]), [["AAPL", "300"]]);
    const cash = Number((await call(fake, "GET", "/v2/account")).body.cash);
    assert.equal(Math.round((cashBefore - cash) * 100), (38_000 + 18_000) * 100);
    const events = (await call(
      fake,
      "GET",
      "/v2/account/activities?activity_types=OPEXP,OPEXC,OPASN,OPTRD&direction=asc",
    )).body;
    assert.deepEqual(events.map((e: Json) => e.activity_type), [
      "OPEXP",
      "OPEXC",
      "OPTRD",
      "OPASN",
      "OPTRD",
    ]);
    assert.ok(
      events.every((e: Json) => e.status === "executed" && /^\d{4}-\d{2}-\d{2}$/.test(e.date)),
    );
    const trade = (await call(fake, "GET", "/v2/account/activities?category=trade_activity")).body;
    assert.ok(trade.every((e: Json) => e.activity_type === "FILL"));
    const nonTrade =
      (await call(fake, "GET", "/v2/account/activities?category=non_trade_activity")).body;
    assert.equal(nonTrade.length, 5);
  });
});

Deno.test("a dropped answer to an mleg POST: the order exists, found by client_order_id", async () => {
  await withFake({ optionQuotes: QUOTES }, async (fake) => {
    fake.fail(1, "drop-after-commit", { method: "POST", path: "/v2/orders" });
    await assert.rejects(call(fake, "POST", "/v2/orders", vertical({ client_order_id: "mleg-1" })));
    const found = await call(fake, "GET", "/v2/orders:by_client_order_id?client_order_id=mleg-1");
    assert.equal(found.status, 200);
    assert.equal(found.body.order_class, "mleg");
    assert.equal(found.body.legs.length, 2);
    const again = await call(fake, "POST", "/v2/orders", vertical({ client_order_id: "mleg-1" }));
    assert.equal(again.status, 422);
    assert.equal(again.body.message, "client_order_id must be unique");
    assert.equal(fake.orders().length, 1);
  });
});

Deno.test("a leg without a market: the mleg waits, no leg fills, until its price comes", async () => {
  await withFake({ optionQuotes: { ...QUOTES, [C200]: { bid: null, ask: 2.1 } } }, async (fake) => {
    const res = await call(
      fake,
      "POST",
      "/v2/orders",
      vertical({ type: "market", limit_price: undefined }),
    );
    assert.equal(res.status, 200);
    assert.equal(res.body.status, "new");
    assert.deepEqual(res.body.legs.map((l: Json) => l.filled_qty), ["0", "0"]);
    assert.deepEqual((await call(fake, "GET", "/v2/positions")).body, []);
    assert.deepEqual((await call(fake, "GET", "/v2/account/activities/FILL")).body, []);
    fake.setOptionQuote(C200, { bid: 2, ask: 2.1 });
    const filled = (await call(fake, "GET", `/v2/orders/${res.body.id}`)).body;
    assert.equal(filled.status, "filled");
    assert.equal(filled.filled_avg_price, "3.2");
  });
});
