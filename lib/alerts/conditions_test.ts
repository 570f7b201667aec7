import assert from "node:assert/strict";
import fc from "fast-check";
import {
  advance,
  type AlertRule,
  type CrossingState,
  describe,
  type Observation,
  rearmBand,
  step,
  valueOf,
} from "./conditions.ts";

const above = (threshold: number, rearmMargin = 1): AlertRule => ({
  condition: "price_above",
  threshold,
  period: null,
  rearm: "margin",
  rearmMargin,
});

/** Runs the rule over prices; the indices at which it fired. */
function firings(rule: AlertRule, prices: number[], sessions?: string[]): number[] {
  let state: CrossingState = { armed: true, firedSession: null };
  const out: number[] = [];
  prices.forEach((price, i) => {
    const obs: Observation = { price, session: sessions?.[i] ?? "2020-03-02" };
    const s = step(rule, state, obs);
    if (s === "fire") out.push(i);
    state = advance(state, s, obs.session);
  });
  return out;
}

const level = 100;
const prices = fc.array(fc.double({ min: 95, max: 105, noNaN: true }), { maxLength: 300 });
const margins = fc.double({ min: 0, max: 3, noNaN: true });

Deno.test("an alert fires only at or past its level", () => {
  fc.assert(fc.property(prices, margins, (ps, m) => {
    for (const i of firings(above(level, m), ps)) assert.ok(ps[i] >= level);
  }));
});

Deno.test("between two firings the price went back past the re-arm margin", () => {
  fc.assert(fc.property(prices, margins, (ps, m) => {
    const rule = above(level, m);
    const band = rearmBand(rule);
    const f = firings(rule, ps);
    for (let k = 1; k < f.length; k++) {
      const between = ps.slice(f[k - 1] + 1, f[k]);
      assert.ok(between.some((p) => p < level - band), `no re-arm between ${f[k - 1]} and ${f[k]}`);
    }
  }));
});

Deno.test("no crossing is missed: after a re-arm, the next touch of the level fires", () => {
  fc.assert(fc.property(prices, margins, (ps, m) => {
    const rule = above(level, m);
    const band = rearmBand(rule);
    const fired = new Set(firings(rule, ps));
    // Eligible at the start and after every dip beyond the band; the first touch must fire.
    let eligible = true;
    ps.forEach((p, i) => {
      if (eligible && p >= level) {
        assert.ok(fired.has(i), `touch at ${i} (${p}) did not fire`);
        eligible = false;
      } else if (!eligible && p < level - band) {
        eligible = true;
      }
    });
  }));
});

Deno.test("a price hovering at the level fires once", () => {
  fc.assert(fc.property(
    fc.array(fc.double({ min: 99.6, max: 101, noNaN: true }), { minLength: 1, maxLength: 500 }),
    (ps) => {
      // 0.5 % of 100 = a 0.5 USD band: nothing in [99.6, 101] goes below 99.5.
      const f = firings(above(level, 0.5), [100, ...ps]);
      assert.deepEqual(f, [0]);
    },
  ));
});

Deno.test("re-arming at the next session fires at most once per exchange day", () => {
  fc.assert(fc.property(
    fc.array(
      fc.tuple(fc.double({ min: 95, max: 105, noNaN: true }), fc.integer({ min: 0, max: 4 })),
      { maxLength: 200 },
    ),
    (ticks) => {
      ticks.sort((a, b) => a[1] - b[1]);
      const sessions = ticks.map(([, d]) => `2020-03-0${d + 2}`);
      const rule: AlertRule = { ...above(level), rearm: "session" };
      const f = firings(rule, ticks.map(([p]) => p), sessions);
      const days = f.map((i) => sessions[i]);
      assert.equal(new Set(days).size, days.length);
      // And on every day with a touch it fired (each day starts armed again).
      for (const day of new Set(sessions)) {
        const touched = ticks.some(([p], i) => sessions[i] === day && p >= level);
        assert.equal(days.includes(day), touched, day);
      }
    },
  ));
});

Deno.test("downward conditions mirror upward ones", () => {
  fc.assert(fc.property(prices, margins, (ps, m) => {
    const down: AlertRule = { ...above(level, m), condition: "price_below" };
    const mirrored = ps.map((p) => 2 * level - p);
    assert.deepEqual(firings(down, ps), firings(above(level, m), mirrored));
  }));
});

Deno.test("each condition reads its own value; missing inputs leave it undecided", () => {
  const rule = (condition: AlertRule["condition"], threshold = 0): AlertRule => ({
    condition,
    threshold,
    period: 20,
    rearm: "margin",
    rearmMargin: 0.5,
  });
  const obs: Observation = {
    price: 110,
    prevClose: 100,
    volume: 3_000,
    averageVolume: 1_000,
    rsi: 25,
    sma: 100,
    session: "2020-03-02",
  };
  assert.ok(Math.abs(valueOf(rule("change_above"), obs)! - 10) < 1e-9);
  assert.equal(valueOf(rule("volume_above"), obs), 3);
  assert.equal(valueOf(rule("rsi_below"), obs), 25);
  assert.ok(Math.abs(valueOf(rule("price_above_sma"), obs)! - 10) < 1e-9);
  assert.equal(valueOf(rule("change_above"), { price: 110, session: "x" }), null);
  assert.equal(
    valueOf(rule("volume_above"), { price: 1, volume: 5, averageVolume: 0, session: "x" }),
    null,
  );
  // Points, not percent, for % levels; percent of the level for prices and volume.
  assert.equal(rearmBand(rule("rsi_below", 30)), 0.5);
  assert.equal(rearmBand({ ...rule("price_above", 200) }), 1);
  assert.equal(step(rule("rsi_below", 30), { armed: true, firedSession: null }, obs), "fire");
  assert.equal(
    step(rule("change_below", -3), { armed: true, firedSession: null }, obs),
    "none",
  );
  assert.match(describe("AAPL", rule("change_below", -3)), /AAPL down 3 %/);
  assert.match(
    describe("AAPL", { ...rule("rsi_below", 30), period: 14 }),
    /RSI\(14\) at or below 30/,
  );
});
