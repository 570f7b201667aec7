/** The Broker conformance suite (conformance.ts) on each implementation. */
import { ScriptedMarketData } from "../market/testing.ts";
import { updateSettings } from "../settings.ts";
import { brokerConformance } from "./conformance.ts";
import { PaperBroker } from "./paper/broker.ts";

brokerConformance("paper", async (db, userId) => {
  // The user's own limits stay out of the way: this suite is about the seam.
  await updateSettings(db, userId, { maxPositionPercent: 100, maxOrderValue: 10_000_000 });
  const market = new ScriptedMarketData();
  return {
    broker: new PaperBroker({ db, market }),
    userId,
    setPrice: (symbol, price) => {
      market.setQuote(symbol, { bid: price, ask: price, last: price });
    },
    close: () => market.close(),
  };
});
