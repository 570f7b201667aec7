import { deepEqual, equal } from "node:assert/strict";
import { parseAnswers, parseCash, profileFromInterview, QUESTIONS } from "./interview.ts";
import type { ProfileAnswers } from "./profile.ts";
import { type Analyst, NO_USAGE, type StructuredRequest, type StructuredResult } from "./types.ts";

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

Deno.test("profileFromInterview asks the analyst's structured task, with the scripted reading offline", async () => {
  const answers = ["Retire early", "advanced", "weeks", "high", "250k", "KO PEP"];
  let seen: StructuredRequest<ProfileAnswers> | undefined;
  // Only the call shape is under test here: a recording analyst that answers the way the offline
  // analyst does (its `offline` function, validated by the schema).
  const analyst = {
    kind: "offline",
    model: "offline",
    turn: () => Promise.reject(new Error("not used")),
    ping: () => Promise.resolve(),
    async structured<T>(request: StructuredRequest<T>): Promise<StructuredResult<T>> {
      seen = request as unknown as StructuredRequest<ProfileAnswers>;
      const value = request.schema.parse(
        await request.offline({ services: {} as never, userId: request.userId }),
      );
      return {
        value,
        analyst: "offline",
        model: "offline",
        usage: NO_USAGE,
        attempts: 1,
        toolCalls: [],
      };
    },
  } satisfies Analyst;
  const result = await profileFromInterview(analyst, 7, answers);
  equal(seen?.task, "onboarding_profile");
  equal(seen?.userId, 7);
  deepEqual(
    (seen?.input as { answer: string }[]).map((x) => x.answer),
    answers,
  );
  deepEqual(result.value, {
    goals: "Retire early",
    experience: "advanced",
    horizon: "weeks",
    riskTolerance: "high",
    startingCash: 250_000,
    symbols: ["KO", "PEP"],
  });
  // A model's answer goes through the same schema: an invented field or bad symbol fails.
  equal(seen?.schema.safeParse({ ...result.value, symbols: ["not a symbol"] }).success, false);
});
