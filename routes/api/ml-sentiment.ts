/**
 * `/api/ml-sentiment`: the shipped sentiment model (lib/ml/sentiment/, MODEL_CARD.md there).
 *
 * `POST /` `{ texts: string[] (1-5,000, each up to 1,000 characters), explain?: boolean }` →
 * `{ model: { name, labels, validation }, results: [{ label, confidence, scores, words? }] }`,
 * results in the order of `texts`, labels the dataset's own (`bearish`, `bullish`, `neutral`).
 */
import { Hono } from "hono";
import type { AppEnv } from "../../lib/state.ts";
import { jsonBody, requireUser } from "../../lib/auth/guards.ts";
import { loadModel } from "../../lib/ml/sentiment/model.ts";
import { scoreTexts, sentimentRequestSchema } from "../../lib/ml/sentiment/request.ts";
import { describeRoutes } from "../../lib/http/openapi/mod.ts";

const sentiment = new Hono<AppEnv>();

describeRoutes(sentiment, "Signals", {
  "POST /": {
    summary: "Score texts with the shipped sentiment model (bearish, bullish, neutral)",
    body: sentimentRequestSchema,
    example: { texts: ["Shares jump after record quarterly profit"], explain: true },
    responses: { 200: "`{ model, results }`, results in the order of `texts`" },
  },
});

sentiment.post("/", async (c) => {
  requireUser(c);
  const input = sentimentRequestSchema.parse(await jsonBody(c));
  const answer = scoreTexts(await loadModel(), input);
  c.header("Cache-Control", "no-store");
  return c.json(answer);
});

export default sentiment;
