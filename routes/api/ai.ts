/**
 * `/api/ai`: onboarding's profile (the seed's `UserSetupAI`).
 *
 * - `GET /profile` → `{ profile, needsOnboarding, suggested }` (suggested limits, or null)
 * - `PUT /profile` — the form's answers → `{ profile, suggested }`; saved, not yet applied.
 *   422 `unknown_symbols` for symbols the market data does not know.
 * - `POST /profile/confirm` `{ limits?: { maxOrderValue?, maxPositionPercent?, dailyLossLimit? } }`
 *   — applies the suggestion (with the edits) to settings and creates the default watchlist →
 *   `{ settings, watchlist, profile, startingCash }`. 409 `no_profile` before any answers.
 * - `POST /profile/skip` → `{ profile }`
 * - `POST /profile/interview` `{ answers: string[] }` — the conversational variant: with fewer
 *   answers than questions → `{ done: false, index, total, question }`; with all of them the
 *   analyst's structured task makes the profile, which is saved → `{ done: true, profile,
 *   suggested, analyst }`.
 */
import { Hono } from "hono";
import { fromAnalyst } from "../../lib/ai/http_errors.ts";
import { z } from "zod";
import type { AppEnv } from "../../lib/state.ts";
import { jsonBody, requireUser } from "../../lib/auth/guards.ts";
import { settingsPatchSchema } from "../../lib/settings.ts";
import {
  getProfile,
  needsOnboarding,
  profileAnswersSchema,
  saveProfile,
  setupChanged,
  skipProfile,
} from "../../lib/ai/profile.ts";
import { confirmProfile } from "../../lib/ai/onboarding.ts";
import { requireKnownSymbols } from "../../lib/market/known_symbols.ts";
import { suggestLimits } from "../../lib/ai/risk_limits.ts";
import { profileFromInterview, QUESTIONS } from "../../lib/ai/interview.ts";
import { describeRoutes } from "../../lib/http/openapi/mod.ts";

const confirmSchema = z.object({
  limits: settingsPatchSchema.pick({
    maxOrderValue: true,
    maxPositionPercent: true,
    dailyLossLimit: true,
  }).strict().default({}),
}).strict();

const interviewSchema = z.object({
  answers: z.array(z.string().max(500)).max(QUESTIONS.length),
}).strict();

const ai = new Hono<AppEnv>();

describeRoutes(ai, "Onboarding", {
  "GET /profile": {
    summary: "The caller's onboarding profile and the risk limits it suggests",
    responses: {
      200: "`{ profile, needsOnboarding, suggested }` (suggested is null without answers)",
    },
  },
  "PUT /profile": {
    summary: "Save the onboarding form's answers (not yet applied to settings)",
    body: profileAnswersSchema,
    example: {
      goals: "Grow my savings",
      experience: "beginner",
      horizon: "years",
      riskTolerance: "medium",
      startingCash: 50_000,
      symbols: ["AAPL", "MSFT"],
    },
    responses: { 200: "`{ profile, suggested }`", 422: "`unknown_symbols`" },
  },
  "POST /profile/confirm": {
    summary: "Apply the suggested limits (with edits) and create the default watchlist",
    body: confirmSchema,
    responses: {
      200: "`{ settings, watchlist, profile, startingCash }`",
      409: "`no_profile`: no answers yet",
    },
  },
  "POST /profile/skip": { summary: "Skip onboarding", responses: { 200: "`{ profile }`" } },
  "POST /profile/interview": {
    summary: "The conversational onboarding: the next question, or the profile once answered",
    body: interviewSchema,
    example: { answers: ["Grow my savings for retirement"] },
    responses: {
      200:
        "`{ done: false, index, total, question }` or `{ done: true, profile, suggested, analyst }`",
    },
  },
});

// Every change to the profile (answers, confirm, skip, interview) makes the hub ask afresh
// whether to show the setup invitation (lib/ai/profile.ts remembers the answer).
ai.use("*", async (c, next) => {
  await next();
  const user = c.get("state").user;
  if (c.req.method !== "GET" && user) setupChanged(c.get("services").db, user.id);
});

ai.get("/profile", async (c) => {
  const user = requireUser(c);
  c.header("Cache-Control", "no-store");
  const profile = await getProfile(c.get("services").db, user.id);
  return c.json({
    profile,
    needsOnboarding: needsOnboarding(profile),
    suggested: profile?.via ? suggestLimits(profile) : null,
  });
});

ai.put("/profile", async (c) => {
  const user = requireUser(c);
  const services = c.get("services");
  const answers = profileAnswersSchema.parse(await jsonBody(c));
  await requireKnownSymbols(services, answers.symbols);
  const profile = await saveProfile(services.db, user.id, answers, "form");
  return c.json({ profile, suggested: suggestLimits(profile) });
});

ai.post("/profile/confirm", async (c) => {
  const user = requireUser(c);
  const { limits } = confirmSchema.parse(await jsonBody(c));
  return c.json(await confirmProfile(c.get("services"), user.id, limits));
});

ai.post("/profile/skip", async (c) => {
  const user = requireUser(c);
  return c.json({ profile: await skipProfile(c.get("services").db, user.id) });
});

ai.post("/profile/interview", async (c) => {
  const user = requireUser(c);
  const services = c.get("services");
  const { answers } = interviewSchema.parse(await jsonBody(c));
  if (answers.length < QUESTIONS.length) {
    return c.json({
      done: false,
      index: answers.length,
      total: QUESTIONS.length,
      question: QUESTIONS[answers.length],
      analyst: services.analyst.kind,
    });
  }
  const result = await fromAnalyst(() =>
    profileFromInterview(services.analyst, user.id, answers, c.req.raw.signal)
  );
  await requireKnownSymbols(services, result.value.symbols);
  const profile = await saveProfile(services.db, user.id, result.value, "interview");
  return c.json({
    done: true,
    profile,
    suggested: suggestLimits(profile),
    analyst: result.analyst,
  });
});

export default ai;
