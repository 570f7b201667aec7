import { deepEqual, ok } from "node:assert/strict";
import fc from "fast-check";
import { suggestLimits } from "./risk_limits.ts";
import { settingsSchema } from "../settings.ts";

Deno.test("the table: medium tolerance, intermediate, 100k cash", () => {
  deepEqual(
    suggestLimits({ riskTolerance: "medium", experience: "intermediate", startingCash: 100_000 }),
    {
      maxOrderValue: 10_000,
      maxPositionPercent: 10,
      dailyLossLimit: 2_000,
      riskTolerance: 50,
    },
  );
});

Deno.test("a beginner with low tolerance gets scaled-down limits", () => {
  deepEqual(suggestLimits({ riskTolerance: "low", experience: "beginner", startingCash: 50_000 }), {
    maxOrderValue: 1_875,
    maxPositionPercent: 3.8,
    dailyLossLimit: 375,
    riskTolerance: 25,
  });
});

Deno.test("suggestions always fit the settings' bounds and grow with tolerance", () => {
  const tolerance = fc.constantFrom("low" as const, "medium" as const, "high" as const);
  const experience = fc.constantFrom(
    "none" as const,
    "beginner" as const,
    "intermediate" as const,
    "advanced" as const,
  );
  fc.assert(
    fc.property(
      tolerance,
      experience,
      fc.integer({ min: 1_000, max: 100_000_000 }),
      (r, e, cash) => {
        const s = suggestLimits({ riskTolerance: r, experience: e, startingCash: cash });
        ok(settingsSchema.safeParse({ ...s, startingCash: cash }).success, JSON.stringify(s));
        ok(s.dailyLossLimit <= s.maxOrderValue);
        const higher = suggestLimits({ riskTolerance: "high", experience: e, startingCash: cash });
        ok(
          higher.maxOrderValue >= s.maxOrderValue &&
            higher.maxPositionPercent >= s.maxPositionPercent,
        );
      },
    ),
  );
});
