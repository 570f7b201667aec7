/**
 * `GET /api/risk/portfolio` over the real app (replay, paper broker, real database): positions
 * bought through the order API come back as exposure, VaR, beta, correlation, stress tests and
 * limit usage; the 2020 crash matches the shipped closes; an empty book says so; each user sees
 * only their own book; a bad query is a 400.
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import { openTestApp, type TestApp } from "./_harness.ts";
import { signUp } from "./_auth.ts";
import { call } from "./_api.ts";
import { openReplayForTest } from "../lib/market/testing.ts";

interface Session {
  t: TestApp;
  bearer: Record<string, string>;
}

// A replayed day after the 2020 crash, so every shipped episode has happened.
const START = "2020-06-01";

async function withApp(fn: (t: TestApp) => Promise<void>, start = START) {
  const t = await openTestApp({ RATE_LIMIT_PER_MINUTE: "100000" }, {
    market: () => openReplayForTest({ start }),
  });
  try {
    await fn(t);
  } finally {
    await t.close();
  }
}

async function trader(t: TestApp): Promise<Session> {
  const me = await signUp(t.app);
  const s = { t, bearer: me.bearer };
  const res = await call(s, "PATCH", "/api/settings", {
    maxPositionPercent: 100,
    maxOrderValue: 1_000_000,
  });
  equal(res.status, 200);
  return s;
}

async function buy(s: Session, symbol: string, qty: number) {
  const res = await call(s, "POST", "/api/orders", {
    symbol,
    side: "buy",
    type: "market",
    timeInForce: "day",
    qty,
    clientOrderId: crypto.randomUUID(),
  });
  equal(res.status, 201, JSON.stringify(res.body));
  equal(res.body.order.status, "filled");
}

async function csvClose(file: string, date: string): Promise<number> {
  const url = new URL(`../data/market/${file}`, import.meta.url);
  const text = await new Response(
    new Blob([await Deno.readFile(url)]).stream().pipeThrough(new DecompressionStream("gzip")),
  ).text();
  const [header, ...lines] = text.trim().split("\n");
  const line = lines.find((l) => l.startsWith(`${date},`))!;
  return Number(line.split(",")[header.split(",").indexOf("close")]);
}

Deno.test("a bought book's exposure, VaR, beta, correlation, stress and limits", async () => {
  await withApp(async (t) => {
    const s = await trader(t);
    await buy(s, "AAPL", 10);
    await buy(s, "MSFT", 5);
    await buy(s, "XOM", 20);
    const res = await call(s, "GET", "/api/risk/portfolio?lookback=120&shock=-15");
    equal(res.status, 200, JSON.stringify(res.body));
    const r = res.body;
    equal(r.empty, false);
    equal(r.prices, "replay");
    equal(r.source, "replay");
    ok(r.asOf >= START);

    // Exposure: each holding at the position's price, sectors from the shipped universe.
    const positions = (await call(s, "GET", "/api/positions")).body.positions;
    for (const p of positions) {
      const row = r.exposure.bySymbol.find((x: { symbol: string }) => x.symbol === p.symbol);
      ok(Math.abs(row.value - p.qty * p.currentPrice) < 0.006, `${p.symbol}`);
    }
    const gross = positions.reduce((a: number, p: { marketValue: number }) => a + p.marketValue, 0);
    ok(Math.abs(r.exposure.gross - gross) < 0.02);
    equal(r.exposure.net, r.exposure.gross);
    ok(/gross = Σ \|value\|/.test(r.exposure.method));
    const sector = (sym: string) =>
      r.exposure.bySymbol.find((x: { symbol: string }) => x.symbol === sym).sector;
    equal(sector("AAPL"), "Information Technology");
    equal(sector("XOM"), "Energy");

    // The window: completed days only, as many as asked.
    ok(r.window.to < r.asOf, `${r.window.to} is before ${r.asOf}`);
    equal(r.window.observations, 120);
    deepEqual([...r.window.included].sort(), ["AAPL", "MSFT", "XOM"]);

    // Correlation: symmetric with a unit diagonal.
    const m = r.correlation.matrix;
    equal(m.length, 3);
    for (let i = 0; i < 3; i++) {
      equal(m[i][i], 1);
      for (let j = 0; j < 3; j++) equal(m[i][j], m[j][i]);
    }
    ok(r.beta.portfolio > 0 && r.beta.portfolio < 1, "a partly invested book");

    // VaR: every figure present, named, and ordered.
    const hist = (c: number, h: number) =>
      r.var.historical.find((v: { confidence: number; horizonDays: number }) =>
        v.confidence === c && v.horizonDays === h
      );
    for (const h of [1, 10]) {
      ok(hist(0.99, h).var >= hist(0.95, h).var);
      ok(hist(0.95, h).cvar >= hist(0.95, h).var);
      ok(hist(0.95, h).method.startsWith("Historical simulation"));
    }
    ok(
      r.var.parametric.every((v: { method: string; var: number }) =>
        v.var > 0 && /variance-covariance/.test(v.method)
      ),
    );
    ok(r.var.scaled.every((v: { formula: string }) => /√10/.test(v.formula)));

    // The 2020 crash on AAPL, against the shipped closes.
    const covid = r.stress.find((x: { id: string }) => x.id === "covid_2020");
    equal(covid.status, "ok");
    const aapl = covid.rows.find((x: { symbol: string }) => x.symbol === "AAPL");
    const move = (await csvClose("stocks/AAPL.csv.gz", "2020-03-23")) /
        (await csvClose("stocks/AAPL.csv.gz", "2020-02-19")) - 1;
    equal(aapl.basis, "history");
    ok(Math.abs(aapl.move - move) < 1e-9);
    ok(Math.abs(aapl.pnl - aapl.value * move) < 0.006);
    const flat = r.stress.find((x: { id: string }) => x.id === "custom_flat");
    ok(Math.abs(flat.pnl - -0.15 * r.exposure.net) < 0.05);

    // Limits: the largest holding against the (raised) position limit.
    const pos = r.limits.find((l: { rule: string }) => l.rule === "max_position_percent");
    equal(pos.limit, 100);
    equal(pos.symbol, r.exposure.bySymbol[0].symbol);
  });
});

Deno.test("a short position counts negative and gains in a fall", async () => {
  await withApp(async (t) => {
    const s = await trader(t);
    equal((await call(s, "PATCH", "/api/settings", { allowShortSelling: true })).status, 200);
    await buy(s, "AAPL", 10);
    const sell = await call(s, "POST", "/api/orders", {
      symbol: "KO",
      side: "sell",
      type: "market",
      timeInForce: "day",
      qty: 20,
      clientOrderId: crypto.randomUUID(),
    });
    equal(sell.status, 201, JSON.stringify(sell.body));
    const r = (await call(s, "GET", "/api/risk/portfolio?shock=-20")).body;
    const ko = r.exposure.bySymbol.find((x: { symbol: string }) => x.symbol === "KO");
    ok(ko.qty === -20 && ko.value < 0);
    ok(Math.abs(r.exposure.short - ko.value) < 0.006);
    ok(Math.abs(r.exposure.gross - (r.exposure.long - r.exposure.short)) < 0.006);
    ok(r.exposure.net < r.exposure.gross);
    const covid = r.stress.find((x: { id: string }) => x.id === "covid_2020");
    const koRow = covid.rows.find((x: { symbol: string }) => x.symbol === "KO");
    ok(koRow.move < 0 && koRow.pnl > 0, "KO fell in the crash, so the short gained");
    const flat = r.stress.find((x: { id: string }) => x.id === "custom_flat");
    ok(Math.abs(flat.pnl - -0.2 * r.exposure.net) < 0.05);
    // Shorting is allowed here, so no short-selling row.
    ok(!r.limits.some((l: { rule: string }) => l.rule === "short_selling"));
  });
});

Deno.test("replaying January 2020, the crash is not yet history and no later close is read", async () => {
  await withApp(async (t) => {
    const s = await trader(t);
    await buy(s, "MSFT", 4);
    const r = (await call(s, "GET", "/api/risk/portfolio")).body;
    ok(r.asOf < "2020-02-19", r.asOf);
    ok(r.window.to < r.asOf);
    const status = Object.fromEntries(
      r.stress.map((x: { id: string; status: string }) => [x.id, x.status]),
    );
    deepEqual([status.covid_2020, status.q4_2018, status.aug_2015], [
      "after_current_day",
      "ok",
      "ok",
    ]);
  }, "2020-01-02");
});

Deno.test("an empty book is an answer, not an error", async () => {
  await withApp(async (t) => {
    const s = await trader(t);
    const res = await call(s, "GET", "/api/risk/portfolio");
    equal(res.status, 200, JSON.stringify(res.body));
    equal(res.body.empty, true);
    equal(res.body.prices, "replay");
    ok(/No open positions/.test(res.body.message));
  });
});

Deno.test("each user sees only their own book", async () => {
  await withApp(async (t) => {
    const a = await trader(t);
    const b = await trader(t);
    await buy(a, "AAPL", 3);
    await buy(b, "KO", 7);
    const ra = (await call(a, "GET", "/api/risk/portfolio")).body;
    const rb = (await call(b, "GET", "/api/risk/portfolio")).body;
    deepEqual(ra.exposure.bySymbol.map((x: { symbol: string }) => x.symbol), ["AAPL"]);
    deepEqual(rb.exposure.bySymbol.map((x: { symbol: string }) => x.symbol), ["KO"]);
    equal(rb.exposure.bySymbol[0].qty, 7);
  });
});

Deno.test("a bad query is a 400 naming the field; no sign-in is a 401", async () => {
  await withApp(async (t) => {
    const s = await trader(t);
    for (const q of ["lookback=5", "lookback=abc", "lookback=2.5", "shock=-200", "foo=1"]) {
      const res = await call(s, "GET", `/api/risk/portfolio?${q}`);
      equal(res.status, 400, q);
      ok(res.body.error.code && res.body.error.message, q);
      const field = q.split("=")[0];
      ok(JSON.stringify(res.body.error).includes(field), `${q}: ${JSON.stringify(res.body)}`);
    }
    const anon = await t.app.request("/api/risk/portfolio");
    equal(anon.status, 401);
    await anon.body?.cancel();
  });
});
