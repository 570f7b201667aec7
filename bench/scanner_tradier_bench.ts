/**
 * A custom scan over 500 symbols from the fake Tradier server (tests/fakes/tradier.ts with 500
 * invented stocks): the daily bars read over HTTP in batches of 25 with no cache in front (the
 * cold case; in the app the KV cache keeps bars for an hour), and the same scan on the loaded
 * series alone.
 * `deno bench -A bench/scanner_tradier_bench.ts`
 */
import { fakeStockSymbols, startFakeTradier } from "../tests/fakes/tradier.ts";
import { createTradierMarketData } from "../lib/market/tradier/mod.ts";
import { scanMarket, universeNow } from "../lib/scanner/mod.ts";
import { runScan } from "../lib/scanner/engine.ts";
import type { ScanSpec } from "../lib/shared/scan.ts";

const fake = await startFakeTradier({ stocks: 500, rateLimit: 1_000_000 });
const market = createTradierMarketData({ token: fake.token, baseUrl: fake.url });
const symbols = fakeStockSymbols(500);
const spec: ScanSpec = {
  conditions: [
    { left: { indicator: "return", period: 5 }, op: ">", right: { value: 0 } },
    { left: { indicator: "close" }, op: ">", right: { indicator: "sma", period: 10 } },
  ],
  sort: { by: { indicator: "return", period: 5 }, direction: "desc" },
};

const first = await scanMarket(market, spec, { symbols });
if (first.scanned !== 500) throw new Error(`scanned ${first.scanned} of 500`);
const { asOf, series } = await universeNow(market, { symbols });

Deno.bench("custom scan, 500 symbols, bars fetched from fake Tradier (no cache)", async () => {
  await scanMarket(market, spec, { symbols });
});
Deno.bench("custom scan, 500 symbols, series in memory (engine)", () => {
  runScan(series, asOf, spec);
});

globalThis.addEventListener("unload", () => {
  void market.close();
  void fake.close();
});
