import assert from "node:assert/strict";
import {
  type ChainShape,
  strikeNear,
  templateById,
  TemplateError,
  TEMPLATES,
} from "./templates.ts";

const STRIKES = Array.from({ length: 25 }, (_, i) => 100 + 2.5 * (i - 12));
const chain: ChainShape = {
  spot: 101.1,
  expiration: "2021-05-21",
  expirations: ["2021-05-14", "2021-05-21", "2021-06-18"],
  strikes: STRIKES,
};

Deno.test("strikes are picked by their place around the money", () => {
  assert.equal(strikeNear(chain, 0), 100);
  assert.equal(strikeNear(chain, 2), 105);
  assert.equal(strikeNear(chain, -4), 90);
  assert.throws(() => strikeNear(chain, 13), TemplateError);
  assert.throws(() => strikeNear({ ...chain, strikes: [] }, 0), TemplateError);
});

Deno.test("every template builds legs on the chain's strikes and expirations", () => {
  assert.equal(TEMPLATES.length, 13);
  for (const t of TEMPLATES) {
    const legs = t.build(chain);
    assert.ok(legs.length > 0, t.id);
    for (const leg of legs) {
      if (leg.type === "stock") continue;
      assert.ok(STRIKES.includes(leg.strike!), `${t.id} strike ${leg.strike}`);
      assert.ok(chain.expirations.includes(leg.expiration!), `${t.id} ${leg.expiration}`);
    }
  }
});

Deno.test("an iron condor is short inside, long outside, puts below and calls above", () => {
  const legs = templateById("iron_condor")!.build(chain);
  assert.deepEqual(
    legs.map((l) => [l.type, l.side, l.strike]),
    [["put", "buy", 90], ["put", "sell", 95], ["call", "sell", 105], ["call", "buy", 110]],
  );
});

Deno.test("a calendar sells the chosen expiration and buys the next one", () => {
  const legs = templateById("calendar")!.build(chain);
  assert.deepEqual(legs.map((l) => [l.side, l.expiration]), [
    ["sell", "2021-05-21"],
    ["buy", "2021-06-18"],
  ]);
  assert.throws(
    () => templateById("calendar")!.build({ ...chain, expiration: "2021-06-18" }),
    TemplateError,
  );
});
