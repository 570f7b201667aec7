/**
 * Counts the SQL statements one `PaperBroker.submit` sends, by kind of order: a figure that does
 * not move with the machine's load, unlike the timings in orders_bench.ts.
 *
 *     deno run -A bench/orders_statements.ts
 */
import { PaperBroker } from "../lib/broker/paper/broker.ts";
import type { OrderRequest } from "../lib/broker/types.ts";
import type { Database, Queryable } from "../lib/db/database.ts";
import { createTestUser, freshPglite } from "../lib/db/testing.ts";
import { openReplayForTest } from "../lib/market/testing.ts";
import { updateSettings } from "../lib/settings.ts";

let statements = 0;

function counting<Q extends Queryable>(q: Q): Q {
  return new Proxy(q, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver);
      if (prop === "query" || prop === "exec") {
        return (...args: unknown[]) => {
          statements++;
          return (v as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      if (prop === "transaction") {
        return (fn: (tx: Queryable) => Promise<unknown>) => {
          statements += 2; // BEGIN and COMMIT
          return (v as Database["transaction"]).call(target, (tx) => fn(counting(tx)));
        };
      }
      return typeof v === "function" ? v.bind(target) : v;
    },
  });
}

const market = openReplayForTest();
await market.quotes(["AAPL"]);
const raw = await freshPglite();
const db = counting(raw);
const userId = await createTestUser(raw);
await updateSettings(raw, userId, {
  startingCash: 100_000_000,
  maxOrderValue: 1_000_000,
  maxPositionPercent: 100,
});
const broker = new PaperBroker({ db, market });
const order = (o: Partial<OrderRequest>): OrderRequest => ({
  symbol: "AAPL",
  side: "buy",
  type: "market",
  timeInForce: "day",
  qty: 1,
  clientOrderId: crypto.randomUUID(),
  ...o,
});

await broker.submit(userId, order({ qty: 100 })); // opens the account and a position
const cases: [string, OrderRequest][] = [
  ["market buy (fills)", order({})],
  ["market sell (fills)", order({ side: "sell" })],
  ["limit buy far below (rests)", order({ type: "limit", limitPrice: 1 })],
];
for (const [name, req] of cases) {
  statements = 0;
  await broker.submit(userId, req);
  console.log(`${name.padEnd(32)} ${statements} statements`);
}
statements = 0;
await broker.submit(userId, cases[0][1]);
console.log(`${"repeated key (duplicate)".padEnd(32)} ${statements} statements`);

// Option orders take their own path (lib/broker/paper/option_orders.ts); counted for reference.
const { expirations } = await market.expirations("AAPL");
const chain = await market.chain("AAPL", expirations[1]);
const calls = chain.options.filter((o) => o.type === "call" && o.bid && o.ask)
  .sort((a, b) =>
    Math.abs(a.strike - chain.underlyingPrice!) - Math.abs(b.strike - chain.underlyingPrice!)
  );
const [near, far] = [calls[0], calls.find((o) => o.strike > calls[0].strike)!];
const optionCases: [string, OrderRequest][] = [
  ["option buy to open (fills)", order({ symbol: near.symbol, positionIntent: "buy_to_open" })],
  [
    "option vertical, 2 legs (fills)",
    order({
      orderClass: "mleg",
      legs: [
        { symbol: near.symbol, side: "buy", ratioQty: 1, positionIntent: "buy_to_open" },
        { symbol: far.symbol, side: "sell", ratioQty: 1, positionIntent: "sell_to_open" },
      ],
    }),
  ],
];
for (const [name, req] of optionCases) {
  statements = 0;
  const { order: placed } = await broker.submit(userId, req);
  if (placed.status !== "filled") throw new Error(`${name}: ${placed.status}`);
  console.log(`${name.padEnd(32)} ${statements} statements`);
}
await raw.close();
await market.close?.();
