/**
 * Signals against values computed here, independently, from the shipped CSV rows: moving
 * averages, Wilder's RSI, the 20-day return and its rank across every shipped stock, and a
 * breakout found by scanning the rows directly.
 */
import assert from "node:assert/strict";
import { computeSignals, momentumRank } from "./compute.ts";
import { replayUniverse } from "../scanner/universe.ts";

const DIR = new URL("../../data/market/", import.meta.url);

interface Row {
  date: string;
  high: number;
  low: number;
  close: number;
  volume: number;
}

async function csvRows(file: string): Promise<Row[]> {
  const bytes = await Deno.readFile(new URL(file, DIR));
  const text = await new Response(
    new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip")),
  ).text();
  const [header, ...lines] = text.trim().split("\n");
  const h = header.split(",");
  return lines.map((l) => {
    const f = l.split(",");
    const n = (k: string) => Number(f[h.indexOf(k)]);
    return { date: f[0], high: n("high"), low: n("low"), close: n("close"), volume: n("volume") };
  });
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

function wilderRsi(closes: number[], period = 14): number {
  let up = 0;
  let down = 0;
  for (let i = 1; i <= period; i++) {
    const d = closes[i] - closes[i - 1];
    up += Math.max(d, 0) / period;
    down += Math.max(-d, 0) / period;
  }
  for (let i = period + 1; i < closes.length; i++) {
    const d = closes[i] - closes[i - 1];
    up = (up * (period - 1) + Math.max(d, 0)) / period;
    down = (down * (period - 1) + Math.max(-d, 0)) / period;
  }
  return 100 - 100 / (1 + up / down);
}

const DAY = "2020-03-13";

Deno.test("trend, RSI and momentum rank match the CSV rows", async () => {
  const universe = await replayUniverse();
  const all = computeSignals(universe, DAY, { source: "replay" });
  const aapl = all.find((s) => s.symbol === "AAPL")!;
  assert.equal(aapl.asOf, DAY);
  const rows = await csvRows("stocks/AAPL.csv.gz");
  const t = rows.findIndex((r) => r.date === DAY);
  const closes = rows.slice(0, t + 1).map((r) => r.close);
  assert.equal(aapl.close, rows[t].close);
  const byName = new Map(aapl.signals.map((s) => [s.name, s]));
  for (const p of [20, 50, 200]) {
    const avg = mean(closes.slice(-p));
    const expected = Math.round((rows[t].close / avg - 1) * 100 * 100) / 100;
    const s = byName.get(`Price vs SMA ${p}`)!;
    assert.equal(s.value, expected, `SMA ${p}`);
    assert.equal(s.direction, expected > 0 ? "bullish" : "bearish");
    assert.equal(s.source, "replay");
    assert.equal(s.asOf, DAY);
  }
  const rsi = byName.get("RSI 14")!;
  assert.equal(rsi.value, Math.round(wilderRsi(closes) * 100) / 100);

  // The 20-day return of every shipped stock with a bar on the day, from its own CSV.
  const files = universe.map((s) => s.symbol);
  const returns = new Map<string, number>();
  for (const symbol of files) {
    const r = await csvRows(`stocks/${symbol}.csv.gz`);
    const i = r.findIndex((x) => x.date === DAY);
    if (i >= 20) returns.set(symbol, (r[i].close / r[i - 20].close - 1) * 100);
  }
  const mine = returns.get("AAPL")!;
  const others = [...returns.entries()].filter(([s]) => s !== "AAPL").map(([, v]) => v);
  const below = others.filter((v) => v < mine).length + others.filter((v) => v === mine).length / 2;
  const rank = byName.get("Momentum 20d")!;
  assert.equal(rank.value, Math.round((below / others.length) * 1000) / 10);
  assert.match(rank.detail, new RegExp(`${mine.toFixed(2)} %`));
  // The list is ordered by the strength of the score.
  for (let i = 1; i < all.length; i++) {
    assert.ok(Math.abs(all[i - 1].score) >= Math.abs(all[i].score));
  }
});

Deno.test("a breakout to a 20-day high on volume is found where the CSV says it happened", async () => {
  const rows = await csvRows("stocks/MSFT.csv.gz");
  // The first day after 2019 whose close beats the prior 20 highs on ≥ 2 × average volume.
  const t = rows.findIndex((r, i) =>
    r.date >= "2019-01-01" && i >= 252 &&
    r.close > Math.max(...rows.slice(i - 20, i).map((x) => x.high)) &&
    r.close <= Math.max(...rows.slice(i - 252, i).map((x) => x.high)) &&
    r.volume >= 2 * mean(rows.slice(i - 20, i).map((x) => x.volume))
  );
  assert.ok(t > 0, "the history has such a day");
  const day = rows[t].date;
  const msft = computeSignals(await replayUniverse(), day, { source: "replay" })
    .find((s) => s.symbol === "MSFT")!;
  const b = msft.signals.find((s) => s.kind === "breakout")!;
  assert.equal(b.name, "20-day high breakout");
  assert.equal(
    b.value,
    Math.round(Math.max(...rows.slice(t - 20, t).map((x) => x.high)) * 100) / 100,
  );
  const spike = msft.signals.find((s) => s.kind === "volume")!;
  const ratio = rows[t].volume / mean(rows.slice(t - 20, t).map((x) => x.volume));
  assert.equal(spike.value, Math.round(ratio * 100) / 100);
  assert.equal(spike.direction, rows[t].close > rows[t - 1].close ? "bullish" : "bearish");
});

Deno.test("momentum rank: share of the others below, ties half, itself left out", () => {
  assert.equal(momentumRank(3, [1, 2, 3, 4, 5]), 50);
  assert.equal(momentumRank(5, [1, 2, 3, 4, 5]), 100);
  assert.equal(momentumRank(1, [1, 1, 3]), 25);
  assert.equal(momentumRank(1, [1]), 50);
});
