import { equal } from "node:assert/strict";
import { formatOcc } from "./occ.ts";
import { hasNakedCall, optionsAfter, putRequirement } from "./cover.ts";

const call = (k: number, exp = "2026-11-20") => formatOcc("AAPL", exp, "call", k);
const put = (k: number) => formatOcc("AAPL", "2026-11-20", "put", k);

Deno.test("cover: a short call with its long call or its shares is covered", () => {
  equal(hasNakedCall({ [call(150)]: -1, [call(155)]: 1 }, 0, "AAPL"), false);
  equal(hasNakedCall({ [call(150)]: -2 }, 200, "AAPL"), false);
  equal(hasNakedCall({ [call(150)]: -2, [call(155)]: 1 }, 100, "AAPL"), false);
});

Deno.test("cover: a short call left without its long call or enough shares is naked", () => {
  equal(hasNakedCall({ [call(150)]: -1, [call(155)]: 0 }, 0, "AAPL"), true);
  equal(hasNakedCall({ [call(150)]: -2 }, 199, "AAPL"), true);
  // A long call expiring first does not cover it.
  equal(hasNakedCall({ [call(150)]: -1, [call(155, "2026-10-16")]: 1 }, 0, "AAPL"), true);
});

Deno.test("cover: puts and other underlyings are not asked about", () => {
  equal(hasNakedCall({ [put(145)]: -3 }, 0, "AAPL"), false);
  equal(hasNakedCall({ [formatOcc("MSFT", "2026-11-20", "call", 400)]: -1 }, 0, "AAPL"), false);
});

Deno.test("cover: optionsAfter applies each leg's units × ratio on its side", () => {
  const after = optionsAfter({ [call(150)]: -1, [call(155)]: 1 }, [
    { symbol: call(155), side: "sell", ratioQty: 1 },
    { symbol: put(145), side: "buy", ratioQty: 2 },
  ], 1);
  equal(after[call(155)], 0);
  equal(after[call(150)], -1);
  equal(after[put(145)], 2);
});

Deno.test("cover: a put spread needs its width, a short put alone its strike", () => {
  equal(putRequirement({ [put(145)]: -1, [put(140)]: 1 }, "AAPL"), 500);
  equal(putRequirement({ [put(145)]: -2, [put(140)]: 0 }, "AAPL"), 29_000);
  // A put debit spread, longs only and calls need no cash.
  equal(putRequirement({ [put(145)]: 1, [put(140)]: -1 }, "AAPL"), 0);
  equal(putRequirement({ [put(145)]: 1, [call(150)]: -1 }, "AAPL"), 0);
  equal(putRequirement({ [formatOcc("MSFT", "2026-11-20", "put", 400)]: -1 }, "AAPL"), 0);
});
