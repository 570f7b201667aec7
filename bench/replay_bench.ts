/**
 * Replay market data: loading the shipped history, simulating a day, and quotes at a fixed
 * mid-session moment (warm: the symbol-days are simulated once, then served from memory).
 */
import { barOf, History } from "../lib/market/replay/history.ts";
import { simulateDay } from "../lib/market/replay/intraday.ts";
import { createReplayMarketData, DEFAULT_REPLAY_EPOCH } from "../lib/market/replay/mod.ts";
import { nyInstant } from "../lib/market/exchange_time.ts";

const now = nyInstant(DEFAULT_REPLAY_EPOCH, 13 * 3600);
const md = createReplayMarketData({ now: () => now });
const symbols = new History().list().map((s) => s.symbol).filter((s) => s !== "VIX").slice(0, 100);
await md.quotes(symbols); // warm: data loaded, days simulated

Deno.bench("load one symbol (gunzip + parse AAPL, 2,340 rows)", { group: "load" }, async () => {
  await new History().series("AAPL");
});

Deno.bench("load all 109 symbols", { group: "load" }, async () => {
  const h = new History();
  await Promise.all(h.list().map((s) => h.series(s.symbol)));
});

const aapl = await new History().series("AAPL");
const r = aapl.row.get("2020-01-02")!;
Deno.bench("simulate one symbol-day (23,400 seconds + volume)", () => {
  simulateDay("AAPL", barOf(aapl, r));
});

Deno.bench("quote, 1 symbol (warm)", { group: "quotes", baseline: true }, async () => {
  await md.quotes(["AAPL"]);
});

Deno.bench("quotes, 100 symbols (warm)", { group: "quotes" }, async () => {
  await md.quotes(symbols);
});

Deno.bench("option chain AAPL (50 contracts, BSM + Greeks)", async () => {
  await md.chain("AAPL", "2020-01-17");
});

globalThis.addEventListener("unload", () => void md.close());
