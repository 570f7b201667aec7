/**
 * `POST /api/risk/options/analyze` and `GET /api/risk/options/templates` over the real app and
 * the replay's modelled chain: chain defaults, given values winning, labels, and 4xx answers.
 */
import assert from "node:assert/strict";
import { openTestApp, type TestApp } from "./_harness.ts";
import { signUp } from "./_auth.ts";
import { call } from "./_api.ts";
import { openReplayForTest } from "../lib/market/testing.ts";
import fc from "fast-check";

type Session = { t: TestApp; bearer: Record<string, string> };

async function withApp(fn: (s: Session) => Promise<void>) {
  const t = await openTestApp({}, { market: () => openReplayForTest() });
  try {
    const me = await signUp(t.app);
    await fn({ t, bearer: me.bearer });
  } finally {
    await t.close();
  }
}

interface Contract {
  type: "call" | "put";
  strike: number;
  bid: number;
  ask: number;
  greeks: { iv: number; delta: number };
}

/** A listed expiration about a month out, and its chain. */
async function chainOf(s: Session, symbol: string) {
  const { expirations } = (await call(s, "GET", `/api/options/expirations/${symbol}`)).body;
  const expiration = expirations[Math.min(4, expirations.length - 1)];
  const chain = (await call(s, "GET", `/api/options/chain/${symbol}?expiration=${expiration}`))
    .body;
  return { expirations: expirations as string[], expiration, chain };
}

function near(actual: number, expected: number, tolerance: number, what: string) {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} vs ${expected}`);
}

Deno.test("legs default to the chain's mid and IV, and the answer is labelled", async () => {
  await withApp(async (s) => {
    const { expiration, chain } = await chainOf(s, "AAPL");
    const strikes = [...new Set(chain.options.map((o: Contract) => o.strike))] as number[];
    const k = strikes[12];
    const contract = chain.options.find((o: Contract) => o.type === "call" && o.strike === k)!;
    const res = await call(s, "POST", "/api/risk/options/analyze", {
      symbol: "AAPL",
      legs: [{ type: "call", side: "buy", strike: k, expiration, quantity: 2 }],
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const b = res.body;
    const mid = (contract.bid + contract.ask) / 2;
    near(b.legs[0].premium, mid, 1e-4, "premium is the mid");
    assert.equal(b.legs[0].premiumSource, "chain");
    assert.equal(b.legs[0].iv, contract.greeks.iv);
    assert.equal(b.legs[0].ivSource, "chain");
    assert.equal(b.prices, "replay");
    assert.equal(b.source, "replay");
    assert.equal(b.chain, "replay-model");
    near(b.net.amount, 2 * 100 * mid, 0.01, "net debit");
    assert.equal(b.net.kind, "debit");
    assert.equal(b.maxProfit, "unlimited");
    near(b.maxLoss, 2 * 100 * mid, 0.01, "max loss is the debit");
    near(b.breakevens[0], k + b.legs[0].premium, 0.01, "breakeven");
    assert.ok(b.probabilityOfProfit > 0 && b.probabilityOfProfit < 1);
    // Curves: now, the default dates, expiry, all over one price grid.
    assert.equal(b.curves.series[0].label, "now");
    assert.equal(b.curves.series.at(-1).label, "expiry");
    assert.equal(b.curves.series.at(-1).date, expiration);
    for (const series of b.curves.series) assert.equal(series.pnl.length, b.curves.prices.length);
    const expiry = b.curves.series.at(-1).pnl as number[];
    b.curves.prices.forEach((p: number, i: number) =>
      near(expiry[i], 200 * (Math.max(0, p - k) - b.legs[0].premium), 0.011, `expiry at ${p}`)
    );
    assert.equal(b.table.pnl.length, b.table.prices.length);
    assert.equal(b.table.pnl[0].length, b.table.dates.length);
    // The chain prices with the dividend yield, the analysis without: close, not equal.
    near(b.greeks.delta, 200 * contract.greeks.delta, 10, "delta in shares, near the chain's");
  });
});

Deno.test("given premium and IV win, and make strikes off the chain analyzable", async () => {
  await withApp(async (s) => {
    const { expiration } = await chainOf(s, "MSFT");
    const res = await call(s, "POST", "/api/risk/options/analyze", {
      symbol: "MSFT",
      underlyingPrice: 100,
      legs: [
        { type: "call", side: "buy", strike: 100.37, expiration, quantity: 1, premium: 3, iv: 0.3 },
        { type: "put", side: "buy", strike: 100.37, expiration, quantity: 1, premium: 2, iv: 0.3 },
      ],
      dates: [],
      ivShift: 0.05,
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const b = res.body;
    assert.equal(b.underlyingPrice, 100);
    assert.equal(b.underlyingSource, "given");
    assert.deepEqual(b.legs.map((l: { premiumSource: string }) => l.premiumSource), [
      "given",
      "given",
    ]);
    assert.equal(b.legs[0].contract, null);
    assert.deepEqual(b.breakevens, [95.37, 105.37]);
    near(b.maxLoss, 500, 1e-9, "straddle max loss");
    assert.equal(b.curves.series.length, 2, "now and expiry only");
    assert.equal(b.ivShift, 0.05);
  });
});

Deno.test("a vertical on the chain: max loss = width − credit, parity across the chain", async () => {
  await withApp(async (s) => {
    const { expiration, chain } = await chainOf(s, "AAPL");
    const strikes = [...new Set(chain.options.map((o: Contract) => o.strike))] as number[];
    const [low, high] = [strikes[12], strikes[14]];
    const res = await call(s, "POST", "/api/risk/options/analyze", {
      symbol: "AAPL",
      legs: [
        { type: "put", side: "sell", strike: high, expiration, quantity: 3 },
        { type: "put", side: "buy", strike: low, expiration, quantity: 3 },
      ],
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const b = res.body;
    assert.equal(b.net.kind, "credit");
    near(b.maxLoss, (high - low) * 300 + b.net.amount, 0.02, "width − credit");
    near(b.maxProfit, -b.net.amount, 0.02, "credit kept");
    // Long call + short put at one strike with no premium is worth C − P = S − K·e^(−rT) now.
    const parity = await call(s, "POST", "/api/risk/options/analyze", {
      symbol: "AAPL",
      underlyingPrice: 120,
      legs: [
        { type: "call", side: "buy", strike: low, expiration, quantity: 1, premium: 0, iv: 0.4 },
        { type: "put", side: "sell", strike: low, expiration, quantity: 1, premium: 0, iv: 0.4 },
      ],
      priceRange: { min: 60, max: 180, points: 121 },
    });
    assert.equal(parity.status, 200, JSON.stringify(parity.body));
    const p = parity.body;
    const years = p.legs[0].years;
    p.curves.prices.forEach((x: number, i: number) =>
      near(p.curves.series[0].pnl[i] / 100, x - low * Math.exp(-p.rate * years), 0.0001, `${x}`)
    );
  });
});

Deno.test("templates resolve to legs on the chain that the analysis accepts", async () => {
  await withApp(async (s) => {
    const list = await call(s, "GET", "/api/risk/options/templates");
    assert.equal(list.status, 200);
    assert.equal(list.body.templates.length, 13);
    const { expiration } = await chainOf(s, "AAPL");
    const res = await call(
      s,
      "GET",
      `/api/risk/options/templates?symbol=AAPL&expiration=${expiration}`,
    );
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.chain, "replay-model");
    for (const t of res.body.templates) {
      assert.ok(t.legs, `${t.id}: ${t.unavailable}`);
      const a = await call(s, "POST", "/api/risk/options/analyze", {
        symbol: "AAPL",
        legs: t.legs,
      });
      assert.equal(a.status, 200, `${t.id}: ${JSON.stringify(a.body)}`);
    }
  });
});

Deno.test("bad analysis requests get a 4xx naming the problem", async () => {
  await withApp(async (s) => {
    const { expiration, expirations, chain } = await chainOf(s, "AAPL");
    const leg = {
      type: "call",
      side: "buy",
      strike: chain.options[24].strike,
      expiration,
      quantity: 1,
    };
    const post = (body: unknown) => call(s, "POST", "/api/risk/options/analyze", body);

    const unknown = await post({ symbol: "ZZZZ", legs: [leg] });
    assert.equal(unknown.status, 404, JSON.stringify(unknown.body));

    const past = await post({ symbol: "AAPL", legs: [{ ...leg, expiration: "2012-01-20" }] });
    assert.equal(past.status, 400);
    assert.equal(past.body.error.code, "expiration_past");

    const offChain = await post({ symbol: "AAPL", legs: [{ ...leg, strike: 0.37 }] });
    assert.equal(offChain.status, 422);
    assert.equal(offChain.body.error.code, "not_on_chain");
    assert.match(offChain.body.error.message, /premium and iv/);

    const unlisted = addDay(expirations.at(-1)!);
    const noChain = await post({ symbol: "AAPL", legs: [{ ...leg, expiration: unlisted }] });
    assert.equal(noChain.status, 422);
    const hypothetical = await post({
      symbol: "AAPL",
      legs: [{ ...leg, expiration: unlisted, premium: 5, iv: 0.3 }],
    });
    assert.equal(hypothetical.status, 200, JSON.stringify(hypothetical.body));

    for (
      const [body, field] of [
        [{ symbol: "AAPL", legs: [] }, "legs"],
        [{ symbol: "AAPL", legs: [{ ...leg, type: "future" }] }, "type"],
        [{ symbol: "AAPL", legs: [{ ...leg, quantity: 1.5 }] }, "quantity"],
        [{ symbol: "AAPL", legs: [{ ...leg, expiration: "2021-02-30" }] }, "expiration"],
        [{ symbol: "AAPL", legs: [{ ...leg, iv: -1 }] }, "iv"],
        [{ symbol: "AAPL", legs: [leg], priceRange: { min: 10, max: 5 } }, "max"],
        [{ symbol: "AAPL", legs: [leg], dates: ["2012-01-03"] }, "dates"],
        [{ symbol: "AAPL", legs: [leg], extra: 1 }, "extra"],
      ] as const
    ) {
      const res = await post(body);
      assert.equal(res.status, 400, `${field}: ${JSON.stringify(res.body)}`);
      assert.match(JSON.stringify(res.body.error), new RegExp(field));
    }
    assert.equal((await call(s, "POST", "/api/risk/options/analyze", "{")).status, 400);
    const anonymous = await s.t.app.request("/api/risk/options/analyze", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ symbol: "AAPL", legs: [leg] }),
    });
    assert.equal(anonymous.status, 401);
    const badTemplate = await call(
      s,
      "GET",
      "/api/risk/options/templates?symbol=AAPL&expiration=2012-01-20",
    );
    assert.equal(badTemplate.status, 404);
  });
});

function addDay(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

Deno.test("any mix of legs, dates, shifts and ranges gets an answer or a 4xx, never a 500", async () => {
  await withApp(async (s) => {
    const { expiration, expirations, chain } = await chainOf(s, "AAPL");
    const strikes = [...new Set(chain.options.map((o: Contract) => o.strike))] as number[];
    const leg = fc.oneof(
      fc.record({
        type: fc.constantFrom("call", "put"),
        side: fc.constantFrom("buy", "sell"),
        strike: fc.oneof(fc.constantFrom(...strikes), fc.double({ min: -5, max: 1e4 })),
        expiration: fc.constantFrom(expiration, expirations[0], expirations.at(-1)!, "2019-12-20"),
        quantity: fc.oneof(fc.integer({ min: 1, max: 50 }), fc.constant(0)),
        premium: fc.option(fc.double({ min: 0, max: 50, noNaN: true }), { nil: undefined }),
        iv: fc.option(fc.double({ min: 0.01, max: 3, noNaN: true }), { nil: undefined }),
      }, { requiredKeys: ["type", "side", "strike", "expiration", "quantity"] }),
      fc.record({
        type: fc.constant("stock"),
        side: fc.constantFrom("buy", "sell"),
        quantity: fc.integer({ min: 1, max: 500 }),
      }),
    );
    const answered = { ok: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(
        fc.array(leg, { minLength: 1, maxLength: 5 }),
        fc.option(fc.double({ min: -1, max: 3, noNaN: true }), { nil: undefined }),
        fc.option(fc.double({ min: 0.5, max: 5000, noNaN: true }), { nil: undefined }),
        fc.option(fc.array(fc.constantFrom(...expirations.slice(0, 3)), { maxLength: 3 }), {
          nil: undefined,
        }),
        async (legs, ivShift, underlyingPrice, dates) => {
          const res = await call(s, "POST", "/api/risk/options/analyze", {
            symbol: "AAPL",
            legs,
            ivShift,
            underlyingPrice,
            dates,
          });
          assert.ok(
            res.status === 200 || (res.status >= 400 && res.status < 500),
            JSON.stringify(res.body),
          );
          answered[res.status === 200 ? "ok" : "refused"]++;
          if (res.status !== 200) assert.ok(res.body.error.code && res.body.error.message);
          else {assert.ok(res.body.curves.series.every((c: { pnl: number[] }) =>
              c.pnl.every(Number.isFinite)
            ));}
        },
      ),
      { numRuns: 40 },
    );
    assert.ok(answered.ok > 0 && answered.refused > 0, JSON.stringify(answered));
  });
});
