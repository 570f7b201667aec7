import { deepEqual, equal, ok } from "node:assert/strict";
import {
  DEFAULT_RISK_FORM,
  describeProblem,
  heatmap,
  portfolioUrl,
  usageBar,
  varCards,
} from "./portfolio_view.ts";
import type { VarFigure } from "../../risk/portfolio/analyze.ts";

Deno.test("the URL carries the form, leaves blanks to the server, and passes typos through", () => {
  equal(portfolioUrl(DEFAULT_RISK_FORM), "/api/risk/portfolio?lookback=252&shock=-10");
  equal(portfolioUrl({ lookback: " ", shock: "" }), "/api/risk/portfolio");
  equal(
    portfolioUrl({ lookback: "abc", shock: "-5" }),
    "/api/risk/portfolio?lookback=abc&shock=-5",
  );
});

Deno.test("VaR cards: historical first, by horizon then confidence, each with its formula", () => {
  const fig = (c: 0.95 | 0.99, h: 1 | 10, v: number): VarFigure => ({
    confidence: c,
    horizonDays: h,
    var: v,
    cvar: v + 1,
    varPercentOfEquity: v / 1000,
    observations: 250,
    method: `m${h}`,
    formula: `f${c}`,
  });
  const cards = varCards({
    var: {
      historical: [fig(0.99, 10, 4), fig(0.95, 1, 1), fig(0.99, 1, 2), fig(0.95, 10, 3)],
      parametric: [fig(0.95, 1, 5)],
      scaled: [fig(0.95, 10, 6)],
    },
  });
  deepEqual(cards.map((c) => [c.group, c.title, c.var]), [
    ["Historical", "1-day 95 %", 1],
    ["Historical", "1-day 99 %", 2],
    ["Historical", "10-day 95 %", 3],
    ["Historical", "10-day 99 %", 4],
    ["Parametric", "1-day 95 %", 5],
    ["√10-scaled", "10-day 95 %", 6],
  ]);
  equal(cards[0].cvar, 2);
  equal(new Set(cards.map((c) => c.id)).size, cards.length, "ids are unique keys");
});

Deno.test("limit bars warn from 80 % and stop at the track's end past 100 %", () => {
  deepEqual(usageBar({ usedPercent: 12.345 }), { width: 12.345, tone: "ok", text: "12.3 % used" });
  equal(usageBar({ usedPercent: 80 }).tone, "warn");
  deepEqual(usageBar({ usedPercent: 160 }), { width: 100, tone: "over", text: "160 % used" });
  equal(usageBar({ usedPercent: -3 }).width, 0);
});

Deno.test("heatmap: one cell per pair, mirrored, coloured by ρ, missing shown as such", () => {
  const h = heatmap(["A", "B", "C"], [[1, 0.5, null], [0.5, 1, -0.9], [null, -0.9, 1]], 300, 60);
  equal(h.cells.length, 9);
  const at = (r: number, c: number) => h.cells.find((x) => x.row === r && x.col === c)!;
  equal(at(0, 1).fill, at(1, 0).fill);
  equal(at(0, 1).x, at(1, 0).y);
  ok(at(0, 0).fill !== at(1, 2).fill, "+1 and −0.9 differ in colour");
  equal(at(0, 2).text, "—");
  ok(/no correlation/.test(at(0, 2).label));
  equal(at(1, 2).label, "B × C: ρ = -0.90");
  // Cells stay inside the drawing, after the label margin.
  for (const c of h.cells) ok(c.x >= 60 && c.x + c.size <= 300 && c.y >= 60);
  deepEqual(h.ticks.map((t) => t.symbol), ["A", "B", "C"]);
});

Deno.test("a 400 is described with the form's field names; no body still reads", () => {
  equal(
    describeProblem(400, {
      error: {
        code: "validation_failed",
        message: "The request is not valid.",
        details: [{ path: "lookback", message: "At least 20 trading days." }, {
          path: "",
          message: 'Unrecognized key: "foo"',
        }],
      },
    }),
    'The request is not valid. Look-back: At least 20 trading days; Query: Unrecognized key: "foo".',
  );
  equal(describeProblem(0, null), "The server could not be reached.");
  equal(
    describeProblem(503, { error: { message: "Market data is unavailable." } }),
    "Market data is unavailable.",
  );
});
