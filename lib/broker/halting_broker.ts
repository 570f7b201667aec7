/**
 * The kill switch on the order path: a Broker that refuses new orders and replacements while
 * the account (or every account) is halted, and passes everything else to the real broker.
 * Services hand out this broker, so every way to place an order (the API, pages, later the
 * proposal approvals and deployed strategies) meets the halt; closing a position is allowed
 * (lib/broker/halt.ts says why).
 */
import { TradingHaltedError, type TradingHalts } from "./halt.ts";
import { metrics } from "../metrics/mod.ts";
import type { Broker } from "./types.ts";

export function haltingBroker(inner: Broker, halts: TradingHalts): Broker {
  return new Proxy(inner, {
    get(target, prop) {
      if (prop === "submit") {
        return async (...args: Parameters<Broker["submit"]>) => {
          try {
            await halts.assertTrading(args[0]);
          } catch (err) {
            // The pipeline counts the rules' refusals; the halt refuses before it runs.
            if (err instanceof TradingHaltedError) metrics.ordersRefused.labels(err.code).inc();
            throw err;
          }
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
