import { deepEqual, equal, ok } from "node:assert/strict";
import { customShocks, episodeMove, EPISODES, stressEpisode } from "./stress.ts";
import type { PriceSeries } from "./series.ts";
import { History } from "../../market/replay/history.ts";

/** The close column of the shipped CSV on `date`, read straight from the file. */
async function csvClose(file: string, date: string): Promise<number> {
  const url = new URL(`../../../data/market/${file}`, import.meta.url);
  const text = await new Response(
    new Blob([await Deno.readFile(url)]).stream().pipeThrough(new DecompressionStream("gzip")),
  ).text();
  const [header, ...lines] = text.trim().split("\n");
  const close = header.split(",").indexOf("close");
  const line = lines.find((l) => l.startsWith(`${date},`));
  if (!line) throw new Error(`${file} has no ${date}`);
  return Number(line.split(",")[close]);
}

async function shipped(symbol: string): Promise<PriceSeries> {
  const s = await new History().series(symbol);
  return { symbol, dates: s.dates, closes: s.close };
}

const covid = EPISODES.find((e) => e.id === "covid_2020")!;

Deno.test("the 2020 crash on AAPL and MSFT matches the shipped closes", async () => {
  const aaplMove = (await csvClose("stocks/AAPL.csv.gz", "2020-03-23")) /
      (await csvClose("stocks/AAPL.csv.gz", "2020-02-19")) - 1;
  const msftMove = (await csvClose("stocks/MSFT.csv.gz", "2020-03-23")) /
      (await csvClose("stocks/MSFT.csv.gz", "2020-02-19")) - 1;
  const spxMove = (await csvClose("index/GSPC.csv.gz", "2020-03-23")) /
      (await csvClose("index/GSPC.csv.gz", "2020-02-19")) - 1;
  ok(aaplMove < -0.2, "AAPL fell by more than a fifth");
  const series = new Map([["AAPL", await shipped("AAPL")], ["MSFT", await shipped("MSFT")]]);
  const r = stressEpisode(
    covid,
    [{ symbol: "AAPL", value: 10_000, beta: 1.1 }, { symbol: "MSFT", value: -5_000, beta: 1 }],
    series,
    await shipped("SPX"),
    "2021-01-04",
    50_000,
  );
  equal(r.status, "ok");
  ok(Math.abs(r.indexMove! - spxMove) < 1e-12);
  const [aapl, msft] = r.rows;
  equal(aapl.basis, "history");
  ok(Math.abs(aapl.move! - aaplMove) < 1e-12);
  equal(aapl.pnl, Math.round(10_000 * aaplMove * 100) / 100);
  equal(msft.pnl, Math.round(-5_000 * msftMove * 100) / 100, "a short gains in a fall");
  ok(Math.abs(r.pnl! - (aapl.pnl! + msft.pnl!)) < 1e-9);
  ok(Math.abs(r.pnlPercentOfEquity! - Math.round(r.pnl! / 50_000 * 10_000) / 100) < 1e-9);
});

Deno.test("a holding without the episode's closes moves β × the index, labelled", async () => {
  // Every shipped stock covers the episodes, so take AAPL as if it had listed in March 2020.
  const aapl = await shipped("AAPL");
  const from = aapl.dates.indexOf("2020-03-02");
  const fb = {
    symbol: "FB",
    dates: aapl.dates.slice(from),
    closes: Array.from(aapl.closes).slice(from),
  };
  equal(episodeMove(fb, covid.start, covid.end), null);
  const spx = await shipped("SPX");
  const r = stressEpisode(
    covid,
    [{ symbol: "FB", value: 1_000, beta: 1.2 }, { symbol: "ZZZ", value: 500, beta: null }],
    new Map([["FB", fb]]),
    spx,
    "2021-04-22",
    10_000,
  );
  const move = episodeMove(spx, covid.start, covid.end)!;
  deepEqual(r.rows.map((x) => x.basis), ["beta_proxy", "no_data"]);
  ok(Math.abs(r.rows[0].move! - 1.2 * move) < 1e-12);
  equal(r.rows[1].pnl, null);
  equal(r.pnl, r.rows[0].pnl, "the total counts only holdings with a figure");
});

Deno.test("an episode not yet over on the priced day is not shown", async () => {
  const r = stressEpisode(
    covid,
    [{ symbol: "AAPL", value: 1_000, beta: 1 }],
    new Map([["AAPL", await shipped("AAPL")]]),
    await shipped("SPX"),
    "2020-03-23",
    10_000,
  );
  equal(r.status, "after_current_day");
  equal(r.pnl, null);
  deepEqual(r.rows, []);
});

Deno.test("a custom shock moves every holding, or β × the index", () => {
  const [flat, scaled] = customShocks(
    -10,
    [{ symbol: "A", value: 2_000, beta: 1.5 }, { symbol: "B", value: -1_000, beta: null }],
    10_000,
  );
  deepEqual(flat.rows.map((r) => r.pnl), [-200, 100]);
  equal(flat.pnl, -100);
  equal(flat.pnlPercentOfEquity, -1);
  equal(flat.indexMove, null, "a flat shock says nothing of the index");
  equal(scaled.indexMove, -0.1);
  deepEqual(scaled.rows.map((r) => r.pnl), [-300, null]);
  equal(scaled.pnl, -300);
});
