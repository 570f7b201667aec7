/** The Broker conformance suite (conformance.ts) on each implementation. */
import { ScriptedMarketData } from "../market/testing.ts";
import { updateSettings } from "../settings.ts";
import { startFakeAlpaca } from "../../tests/fakes/alpaca.ts";
import { createAlpacaBroker } from "./alpaca/mod.ts";
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

// Alpaca against the fake server that enforces its contract (tests/fakes/alpaca.ts).
brokerConformance("alpaca", async (db, userId) => {
  const fake = await startFakeAlpaca();
  const broker = createAlpacaBroker({
    db,
    keyId: fake.keyId,
    secretKey: fake.secretKey,
    baseUrl: fake.url,
    backoffBaseMs: 5,
  });
  return {
    broker,
    userId,
    setPrice: (symbol, price) => fake.setPrice(symbol, price),
    close: async () => {
      await broker.close();
      await fake.close();
    },
  };
});
