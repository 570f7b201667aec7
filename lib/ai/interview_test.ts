import { deepEqual, equal } from "node:assert/strict";
import { parseAnswers, parseCash, QUESTIONS } from "./interview.ts";

Deno.test("the scripted interview reads each answer", () => {
  equal(QUESTIONS.length, 6);
  deepEqual(
    parseAnswers([
      "Grow my savings slowly",
      "I have a few years of experience",
      "I hold for years",
      "Rather conservative",
      "$25k",
      "aapl, MSFT and spy",
    ]),
    {
      goals: "Grow my savings slowly",
      experience: "intermediate",
      horizon: "years",
      riskTolerance: "low",
      startingCash: 25_000,
      symbols: ["AAPL", "MSFT", "SPY"],
    },
  );
});

Deno.test("unclear answers fall back to the middle, never to invented values", () => {
  deepEqual(parseAnswers(["", "", "", "", "", ""]), {
    goals: "",
    experience: "beginner",
    horizon: "months",
    riskTolerance: "medium",
    startingCash: 100_000,
    symbols: [],
  });
  equal(
    parseAnswers(["", "never traded", "day trading", "aggressive", "5", "none"]).startingCash,
    1_000,
  );
});

Deno.test("cash amounts in the usual spellings", () => {
  equal(parseCash("100,000"), 100_000);
  equal(parseCash("$1.5 million"), 1_500_000);
  equal(parseCash("50 thousand dollars"), 50_000);
  equal(parseCash("no idea"), undefined);
});
