/** The `/api/ml-sentiment` request: its limits and its answer. */
import { z } from "zod";
import type { SentimentModel } from "./model.ts";

export const MAX_TEXTS = 5_000;
export const MAX_TEXT_CHARS = 1_000;
/** Words per explained text. */
export const EXPLAIN_WORDS = 6;
/** Room for 5,000 texts of 1,000 characters, most of them multi-byte, as JSON. */
export const SENTIMENT_MAX_BODY_BYTES = 12 * 1024 * 1024;

export const sentimentRequestSchema = z.object({
  texts: z.array(
    z.string().max(MAX_TEXT_CHARS, `A text has at most ${MAX_TEXT_CHARS} characters.`),
  ).min(1, "Send at least one text.").max(MAX_TEXTS, `At most ${MAX_TEXTS} texts per request.`),
  /** Also name the words that drove each label. */
  explain: z.boolean().default(false),
}).strict();

export type SentimentRequest = z.output<typeof sentimentRequestSchema>;

export function scoreTexts(model: SentimentModel, input: SentimentRequest) {
  return {
    model: {
      name: model.meta.name,
      labels: model.meta.labels,
      validation: model.meta.validation,
    },
    results: input.texts.map((text) => {
      const p = model.predict(text);
      return input.explain ? { ...p, words: model.explain(text, p.label, EXPLAIN_WORDS) } : p;
    }),
  };
}
