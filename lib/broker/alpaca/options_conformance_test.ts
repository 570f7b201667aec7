/** The option cases of the Broker conformance suite (../conformance_options.ts) on Alpaca. */
import { ScriptedMarketData } from "../../market/testing.ts";
import { updateSettings } from "../../settings.ts";
import { startFakeAlpaca } from "../../../tests/fakes/alpaca.ts";
import { optionConformance } from "../conformance_options.ts";
import { createAlpacaBroker } from "./mod.ts";

// The fake fills where the rig quotes; the checks read the same quotes from the market data.
optionConformance("alpaca", async (db, userId) => {
  await updateSettings(db, userId, { maxPositionPercent: 100, maxOrderValue: 10_000_000 });
  const fake = await startFakeAlpaca();
  const market = new ScriptedMarketData();
  const broker = createAlpacaBroker({
    db,
    keyId: fake.keyId,
    secretKey: fake.secretKey,
    baseUrl: fake.url,
    market,
    backoffBaseMs: 5,
  });
  return {
    broker,
    userId,
    setPrice: (symbol, price) => {
      fake.setPrice(symbol, price);
      market.setQuote(symbol, { bid: price, ask: price, last: price });
    },
    setOption: (symbol, bid, ask) => {
      fake.setOptionQuote(symbol, { bid, ask });
      market.setOption(symbol, { bid, ask });
    },
    close: async () => {
      await broker.close();
      await fake.close();
      await market.close();
    },
  };
});
