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
