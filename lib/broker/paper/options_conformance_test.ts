/** The option cases of the Broker conformance suite (../conformance_options.ts) on paper. */
import { ScriptedMarketData } from "../../market/testing.ts";
import { updateSettings } from "../../settings.ts";
import { optionConformance } from "../conformance_options.ts";
import { PaperBroker } from "./broker.ts";

optionConformance("paper", async (db, userId) => {
  // The user's own limits stay out of the way: this suite is about the seam.
  await updateSettings(db, userId, { maxPositionPercent: 100, maxOrderValue: 10_000_000 });
  const market = new ScriptedMarketData();
  return {
    broker: new PaperBroker({ db, market }),
    userId,
    setPrice: (symbol, price) => {
      market.setQuote(symbol, { bid: price, ask: price, last: price });
    },
    setOption: (symbol, bid, ask) => market.setOption(symbol, { bid, ask }),
    close: () => market.close(),
  };
});
