/**
 * The kill switch on the order path: a Broker that refuses new orders and replacements while
 * the account (or every account) is halted, and passes everything else to the real broker.
 * Services hand out this broker, so every way to place an order (the API, pages, later the
 * proposal approvals and deployed strategies) meets the halt; closing a position is allowed
 * (lib/broker/halt.ts says why).
 */
import type { TradingHalts } from "./halt.ts";
import type { Broker } from "./types.ts";

export function haltingBroker(inner: Broker, halts: TradingHalts): Broker {
  return new Proxy(inner, {
    get(target, prop) {
      if (prop === "submit") {
        return async (...args: Parameters<Broker["submit"]>) => {
          await halts.assertTrading(args[0]);
          return await target.submit(...args);
        };
      }
      if (prop === "replace") {
        return async (...args: Parameters<Broker["replace"]>) => {
          await halts.assertTrading(args[0]);
          return await target.replace(...args);
        };
      }
      const value = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
