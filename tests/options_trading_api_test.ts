/**
 * Option trading over the real app (replay pinned to an open session, its chains modelled from
 * the shipped history, real database, real KV): an OCC order from the chain's ask, the position
 * with its contract and Greeks, closing it by its OCC symbol, multi-leg orders and closing a
 * strategy, the preview's option figures, the option level, malformed bodies (400 naming the
 * path) and isolation between users.
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import { openTestApp, type TestApp } from "./_harness.ts";
import { signUp } from "./_auth.ts";
import { call } from "./_api.ts";
import { openReplayForTest } from "../lib/market/testing.ts";
import type { OptionChain, OptionContract } from "../lib/market/types.ts";

interface Session {
  t: TestApp;
  bearer: Record<string, string>;
  userId: number;
}

async function withApp(fn: (t: TestApp) => Promise<void>) {
  const t = await openTestApp({ RATE_LIMIT_PER_MINUTE: "100000" }, {
    market: () => openReplayForTest(),
  });
  try {
    await fn(t);
  } finally {
    await t.close();
  }
}

async function trader(t: TestApp, settings: Record<string, unknown> = {}): Promise<Session> {
  const me = await signUp(t.app);
  const s = { t, bearer: me.bearer, userId: me.user.id };
  const res = await call(s, "PATCH", "/api/settings", {
    maxPositionPercent: 100,
    maxOrderValue: 1_000_000,
    ...settings,
  });
  equal(res.status, 200, JSON.stringify(res.body));
  return s;
}

/** AAPL's nearest listed chain, as the app serves it. */
async function chain(s: Session): Promise<OptionChain> {
  const exp = await call(s, "GET", "/api/options/expirations/AAPL");
  equal(exp.status, 200);
  const res = await call(s, "GET", `/api/options/chain/AAPL?expiration=${exp.body.expirations[1]}`);
  equal(res.status, 200);
  return res.body;
}

/** The contract of `type` nearest the money with both a bid and an ask, `steps` strikes out. */
function nearMoney(c: OptionChain, type: "call" | "put", steps = 0): OptionContract {
  const list = c.options.filter((o) => o.type === type && o.bid && o.ask)
    .sort((a, b) => a.strike - b.strike);
  const atm = list.reduce(
    (best, o, i) =>
      Math.abs(o.strike - c.underlyingPrice!) < Math.abs(list[best].strike - c.underlyingPrice!)
        ? i
        : best,
    0,
  );
  return list[Math.min(Math.max(atm + steps, 0), list.length - 1)];
}

Deno.test("an OCC order from the chain's ask becomes a position with its contract and Greeks", async () => {
  await withApp(async (t) => {
    const s = await trader(t);
    const before = await chain(s);
    const c = nearMoney(before, "call");
    const res = await call(s, "POST", "/api/orders", {
      symbol: c.symbol,
      side: "buy",
      type: "market",
      qty: 2,
      positionIntent: "buy_to_open",
      clientOrderId: "buy-call-1",
    });
    equal(res.status, 201, JSON.stringify(res.body));
    const order = res.body.order;
    equal(order.status, "filled");
    equal(order.assetClass, "us_option");
    equal(order.positionIntent, "buy_to_open");
    equal(order.prices, "replay");
    equal(order.intraday, "simulated");
    equal(order.chain, "replay-model");
    const after = await chain(s);
    const asks = [before, after].map((ch) => ch.options.find((o) => o.symbol === c.symbol)!.ask);
    ok(asks.includes(order.filledAvgPrice), `${order.filledAvgPrice} is the ask (${asks})`);

    const again = await call(s, "POST", "/api/orders", {
      symbol: c.symbol,
      side: "buy",
      type: "market",
      qty: 2,
      positionIntent: "buy_to_open",
      clientOrderId: "buy-call-1",
    });
    equal(again.status, 200);
    equal(again.body.duplicate, true);
    equal(again.body.order.id, order.id);

    const positions = await call(s, "GET", "/api/positions");
    equal(positions.status, 200);
    const [p] = positions.body.positions;
    equal(p.symbol, c.symbol);
    equal(p.qty, 2);
    equal(p.assetClass, "us_option");
    deepEqual(p.option, {
      underlying: "AAPL",
      expiration: c.expiration,
      type: "call",
      strike: c.strike,
      multiplier: 100,
    });
    equal(Math.round(p.costBasis * 100), Math.round(order.filledAvgPrice * 200 * 100));
    ok(p.greeks && p.greeks.delta > 0 && p.greeks.delta < 1, JSON.stringify(p.greeks));
    equal(p.chain, "replay-model");
    const fills = await call(s, "GET", "/api/portfolio/fills");
    equal(fills.body.fills[0].multiplier, 100);
    equal(fills.body.fills[0].chain, "replay-model");

    const close = await call(s, "DELETE", `/api/positions/${c.symbol}?qty=1`, undefined, {
      "Idempotency-Key": "close-1",
    });
    equal(close.status, 201, JSON.stringify(close.body));
    equal(close.body.order.positionIntent, "sell_to_close");
    equal(close.body.order.side, "sell");
    equal(close.body.order.status, "filled");
    const left = await call(s, "GET", "/api/positions");
    equal(left.body.positions[0].qty, 1);
    const part = await call(s, "DELETE", `/api/positions/${c.symbol}?qty=0.5`);
    equal(part.status, 422);
    equal(part.body.error.code, "invalid_order");
    const mine = await call(s, "GET", `/api/orders?status=all&symbols=${c.symbol},MSFT`);
    equal(mine.status, 200);
    deepEqual(
      mine.body.orders.map((o: { positionIntent: string }) => o.positionIntent).sort(),
      ["buy_to_open", "sell_to_close"],
    );
  });
});

Deno.test("malformed option orders answer 400 naming the path; nothing is stored", async () => {
  await withApp(async (t) => {
    const s = await trader(t);
    const c = nearMoney(await chain(s), "call");
    const base = {
      symbol: c.symbol,
      side: "buy",
      type: "market",
      qty: 1,
      positionIntent: "buy_to_open",
    };
    const leg = { symbol: c.symbol, side: "buy", ratioQty: 1, positionIntent: "buy_to_open" };
    const mleg = { orderClass: "mleg", symbol: "AAPL", side: "buy", type: "market", qty: 1 };
    const bad: [unknown, string][] = [
      [{ ...base, qty: 1.5 }, "qty"],
      [{ ...base, type: "stop", stopPrice: 1 }, "type"],
      [{ ...base, type: "limit" }, "limitPrice"],
      [{ ...base, positionIntent: "sell_to_open" }, "positionIntent"],
      [{ ...base, positionIntent: "hold" }, "positionIntent"],
      [{ ...base, symbol: "AAPL991399C00150000" }, "symbol"],
      [{ ...base, notional: 100 }, ""],
      [{ ...mleg, legs: [leg] }, "legs"],
      [{ ...mleg, legs: [leg, leg, leg, leg, leg] }, "legs"],
      [{ ...mleg, legs: [leg, { ...leg, ratioQty: 0 }] }, "legs.1.ratioQty"],
      [{ ...mleg, legs: [leg, { ...leg, symbol: "AAPL" }] }, "legs.1.symbol"],
      [{ ...mleg, legs: [leg, { ...leg, extra: 1 }] }, "legs.1"],
      [{ ...mleg, symbol: "SPX", legs: [leg, leg] }, "symbol"],
    ];
    for (const [body, path] of bad) {
      const r = await call(s, "POST", "/api/orders", body);
      equal(r.status, 400, `${JSON.stringify(body)} → ${r.status} ${JSON.stringify(r.body)}`);
      const paths = (r.body.error.details ?? []).map((i: { path: string }) => i.path);
      ok(
        paths.some((p: string) => p === path || (path === "" && p !== undefined)),
        `${path} in ${JSON.stringify(r.body.error)}`,
      );
    }
    const [{ count }] = await t.services.db.query<{ count: number }>(
      "select count(*)::int as count from orders",
    );
    equal(count, 0);
  });
});

Deno.test("a multi-leg order naming one contract twice answers 422, not 500", async () => {
  await withApp(async (t) => {
    const s = await trader(t);
    const c = nearMoney(await chain(s), "call");
    const leg = { symbol: c.symbol, side: "buy", ratioQty: 1, positionIntent: "buy_to_open" };
    const r = await call(s, "POST", "/api/orders", {
      orderClass: "mleg",
      symbol: "AAPL",
      side: "buy",
      type: "market",
      qty: 1,
      legs: [leg, { ...leg, side: "sell", positionIntent: "sell_to_open" }],
    });
    equal(r.status, 422, JSON.stringify(r.body));
    equal(r.body.error.code, "invalid_option_structure");
    const [{ count }] = await t.services.db.query<{ count: number }>(
      "select count(*)::int as count from orders",
    );
    equal(count, 0);
  });
});

const order = (symbol: string, side: string, positionIntent: string, o = {}) => ({
  symbol,
  side,
  type: "market",
  qty: 1,
  positionIntent,
  ...o,
});
const legOf = (symbol: string, side: string, close = false, ratioQty = 1) => ({
  symbol,
  side,
  ratioQty,
  positionIntent: `${side}_to_${close ? "close" : "open"}`,
});
const mlegOf = (side: string, legs: unknown[], o = {}) => ({
  orderClass: "mleg",
  symbol: "AAPL",
  side,
  type: "market",
  qty: 1,
  legs,
  ...o,
});
const cents = (x: number) => Math.round(x * 100);

Deno.test("the option level: none refuses opening, covered refuses spreads, naked never", async () => {
  await withApp(async (t) => {
    const s = await trader(t, { optionLevel: "none" });
    const ch = await chain(s);
    const c = nearMoney(ch, "call");
    const c2 = nearMoney(ch, "call", 2);
    const none = await call(s, "POST", "/api/orders", order(c.symbol, "buy", "buy_to_open"));
    equal(none.status, 422, JSON.stringify(none.body));
    equal(none.body.error.code, "option_not_permitted");
    ok(none.body.error.message.includes('option level is "none"'), none.body.error.message);
    const rule = none.body.error.details.checks.find((x: { rule: string }) =>
      x.rule === "option_level"
    );
    equal(rule.ok, false);

    equal((await call(s, "PATCH", "/api/settings", { optionLevel: "covered" })).status, 200);
    const long = await call(s, "POST", "/api/orders", order(c.symbol, "buy", "buy_to_open"));
    equal(long.status, 201, JSON.stringify(long.body));
    const spread = await call(
      s,
      "POST",
      "/api/orders",
      mlegOf("buy", [legOf(c.symbol, "buy", false), legOf(c2.symbol, "sell")]),
    );
    equal(spread.status, 422, JSON.stringify(spread.body));
    equal(spread.body.error.code, "option_not_permitted");
    ok(spread.body.error.message.includes('needs option level "spreads"'));

    equal((await call(s, "PATCH", "/api/settings", { optionLevel: "spreads" })).status, 200);
    const ok2 = await call(
      s,
      "POST",
      "/api/orders",
      mlegOf("buy", [legOf(c.symbol, "buy", false), legOf(c2.symbol, "sell")]),
    );
    equal(ok2.status, 201, JSON.stringify(ok2.body));
    // A short call with no shares and no long call above it is naked: refused at every level.
    const naked = await call(
      s,
      "POST",
      "/api/orders",
      order(nearMoney(ch, "call", 3).symbol, "sell", "sell_to_open"),
    );
    equal(naked.status, 422);
    equal(naked.body.error.code, "option_not_permitted");
    ok(naked.body.error.message.includes("Naked short calls have unlimited risk"));

    // Closing is allowed at level none.
    equal((await call(s, "PATCH", "/api/settings", { optionLevel: "none" })).status, 200);
    const close = await call(s, "DELETE", `/api/positions/${c2.symbol}`);
    equal(close.status, 201, JSON.stringify(close.body));
    equal(close.body.order.positionIntent, "buy_to_close");
  });
});

Deno.test("the preview names the structure and the buying power each one holds", async () => {
  await withApp(async (t) => {
    const s = await trader(t);
    const ch = await chain(s);
    const preview = async (body: Record<string, unknown>) => {
      const r = await call(s, "POST", "/api/orders", { ...body, preview: true });
      equal(r.status, 200, JSON.stringify(r.body));
      equal(r.body.placed, false);
      return r.body.preview;
    };
    const c = nearMoney(ch, "call");
    const cUp = nearMoney(ch, "call", 2);
    const p = nearMoney(ch, "put", -1);
    const pDown = nearMoney(ch, "put", -3);

    const long = await preview(order(c.symbol, "buy", "buy_to_open", { qty: 2 }));
    equal(long.option.structure, "long_call");
    equal(long.option.requires, "covered");
    equal(cents(long.option.premium), cents(c.ask! * 200));
    equal(cents(long.option.buyingPower.amount), cents(c.ask! * 200));
    equal(cents(long.estimatedCost), cents(c.ask! * 200));
    equal(long.option.chain, "replay-model");
    deepEqual(long.option.legs[0], {
      symbol: c.symbol,
      side: "buy",
      ratioQty: 1,
      positionIntent: "buy_to_open",
      bid: c.bid,
      ask: c.ask,
      mark: Math.round((c.bid! + c.ask!) / 2 * 1e6) / 1e6,
    });
    equal(long.option.maxLoss, Math.round(c.ask! * 200 * 100) / 100);
    equal(long.option.maxProfit, "unlimited");
    equal(long.refused, false);

    const csp = await preview(order(p.symbol, "sell", "sell_to_open"));
    equal(csp.option.structure, "cash_secured_put");
    equal(cents(csp.option.buyingPower.amount), cents(p.strike * 100 - p.bid! * 100));
    ok(csp.option.buyingPower.rule.includes("strike"), csp.option.buyingPower.rule);

    const debit = await preview(mlegOf("buy", [legOf(c.symbol, "buy"), legOf(cUp.symbol, "sell")]));
    const d = c.ask! - cUp.bid!;
    equal(debit.option.structure, "vertical");
    equal(cents(debit.option.buyingPower.amount), cents(d * 100));
    equal(cents(debit.option.maxLoss), cents(d * 100));
    equal(cents(debit.option.maxProfit), cents((cUp.strike - c.strike - d) * 100));
    equal(debit.option.breakevens.length, 1);
    equal(cents(debit.option.breakevens[0]), cents(c.strike + d));

    const credit = await preview(
      mlegOf("sell", [legOf(p.symbol, "sell"), legOf(pDown.symbol, "buy")], {
        type: "limit",
        limitPrice: 0.05,
      }),
    );
    const cr = p.bid! - pDown.ask!;
    equal(credit.option.structure, "vertical");
    equal(cents(credit.option.premium), -cents(cr * 100));
    equal(cents(credit.option.buyingPower.amount), cents((p.strike - pDown.strike - cr) * 100));

    const condor = await preview(mlegOf("sell", [
      legOf(pDown.symbol, "buy"),
      legOf(p.symbol, "sell"),
      legOf(nearMoney(ch, "call", 1).symbol, "sell"),
      legOf(nearMoney(ch, "call", 3).symbol, "buy"),
    ]));
    equal(condor.option.structure, "iron_condor");
    ok(condor.option.buyingPower.amount > 0);
    equal(condor.option.breakevens.length, 2);

    // Shares held cover a call: no buying power.
    const shares = await call(s, "POST", "/api/orders", {
      symbol: "AAPL",
      side: "buy",
      type: "market",
      qty: 100,
    });
    equal(shares.status, 201, JSON.stringify(shares.body));
    const covered = await preview(order(cUp.symbol, "sell", "sell_to_open"));
    equal(covered.option.structure, "covered_call");
    equal(covered.option.buyingPower.amount, 0);
    equal(covered.refused, false);

    // The preview refuses what placing would refuse, and places nothing.
    const naked = await preview(order(cUp.symbol, "sell", "sell_to_open", { qty: 2 }));
    equal(naked.refused, true);
    equal(naked.option.structure, "naked_call");
    const orders = await call(s, "GET", "/api/orders?status=all");
    equal(orders.body.orders.length, 1);
  });
});

Deno.test("closing a strategy over HTTP; another user sees and closes none of it", async () => {
  await withApp(async (t) => {
    const a = await trader(t);
    const b = await trader(t);
    const ch = await chain(a);
    const c = nearMoney(ch, "call");
    const cUp = nearMoney(ch, "call", 2);
    const placed = await call(
      a,
      "POST",
      "/api/orders",
      mlegOf("buy", [legOf(c.symbol, "buy"), legOf(cUp.symbol, "sell")], { qty: 2 }),
    );
    equal(placed.status, 201, JSON.stringify(placed.body));
    equal(placed.body.order.legs.length, 2);
    const resting = await call(
      a,
      "POST",
      "/api/orders",
      order(c.symbol, "buy", "buy_to_open", {
        type: "limit",
        limitPrice: 0.01,
        timeInForce: "gtc",
      }),
    );
    equal(resting.status, 201);
    equal(resting.body.order.status, "new");

    // B: nothing of A's is visible or closable.
    deepEqual((await call(b, "GET", "/api/orders?status=all")).body.orders, []);
    deepEqual((await call(b, "GET", "/api/positions")).body.positions, []);
    equal((await call(b, "GET", `/api/orders/${placed.body.order.id}`)).status, 404);
    equal((await call(b, "DELETE", `/api/orders/${resting.body.order.id}`)).status, 404);
    equal((await call(b, "DELETE", `/api/positions/${c.symbol}`)).status, 404);
    const bClose = await call(b, "POST", "/api/positions/close-strategy", {
      symbols: [c.symbol, cUp.symbol],
    });
    equal(bClose.status, 404);

    const listed = await call(a, "GET", "/api/orders?status=all");
    const mleg = listed.body.orders.find((o: { id: string }) => o.id === placed.body.order.id);
    deepEqual(
      mleg.legs.map((l: { symbol: string; filledQty: number }) => [l.symbol, l.filledQty]),
      [[c.symbol, 2], [cUp.symbol, 2]],
    );
    const bad = await call(a, "POST", "/api/positions/close-strategy", { symbols: [c.symbol] });
    equal(bad.status, 400);
    // While trading is halted no option order opens, but a strategy still closes.
    equal((await call(a, "POST", "/api/trading/halt", { reason: "options test" })).status, 200);
    const halted = await call(a, "POST", "/api/orders", order(c.symbol, "buy", "buy_to_open"));
    equal(halted.status, 423);
    const close = await call(a, "POST", "/api/positions/close-strategy", {
      symbols: [c.symbol, cUp.symbol],
      clientOrderId: "close-strategy-1",
    });
    equal(close.status, 201, JSON.stringify(close.body));
    equal(close.body.order.orderClass, "mleg");
    equal(close.body.order.status, "filled");
    deepEqual((await call(a, "GET", "/api/positions")).body.positions, []);
    const again = await call(a, "POST", "/api/positions/close-strategy", {
      symbols: [cUp.symbol, c.symbol],
      clientOrderId: "close-strategy-1",
    });
    equal(again.status, 200);
    equal(again.body.order.id, close.body.order.id);
  });
});
