/**
 * The trading journal's vocabulary, for the API's schemas and the browser's form alike: the
 * emotions a trader can name, the tag rule, the limits, and an entry as the API answers it.
 *
 * Browser code: no zod, no DOM.
 */

/** A fixed set, so entries can be counted and filtered by feeling. */
export const EMOTIONS = [
  "calm",
  "confident",
  "anxious",
  "fearful",
  "greedy",
  "frustrated",
  "neutral",
] as const;

export type Emotion = typeof EMOTIONS[number];

export function isEmotion(x: unknown): x is Emotion {
  return typeof x === "string" && (EMOTIONS as readonly string[]).includes(x);
}

export const MAX_TAGS = 10;
/** Each of why, plan and lesson. */
export const MAX_TEXT = 4000;
/** A tag is one lowercase word: letters, digits, `-` and `_`, starting with a letter or digit. */
export const TAG = /^[a-z0-9][a-z0-9_-]{0,31}$/;
export const TAG_RULE =
  "Tags are lowercase words of 1 to 32 letters, digits, - or _ (e.g. breakout, earnings).";

/** What the entry is about. A fill's entry also names its order and symbol. */
export type JournalLink = "order" | "fill" | "position" | "none";

export interface JournalEntry {
  id: number;
  link: JournalLink;
  symbol: string | null;
  orderId: string | null;
  /** The fill's id as the fills API gives it (a trades row id, as text). */
  fillId: string | null;
  why: string;
  plan: string;
  emotion: Emotion | null;
  lesson: string;
  tags: string[];
  createdAt: string;
  updatedAt: string;
}

/** One page of the list, as `GET /api/journal` answers it. */
export interface JournalPage {
  entries: JournalEntry[];
  /** The `before` for the next (older) page; null on the last. */
  nextCursor: number | null;
}

/** The screens' page size. */
export const JOURNAL_PAGE_SIZE = 20;

/** An entry that says nothing at all (no text, emotion or tag) is not worth keeping. */
export function saysSomething(e: {
  why?: string;
  plan?: string;
  lesson?: string;
  emotion?: string | null;
  tags?: readonly string[];
}): boolean {
  return Boolean(
    e.why?.trim() || e.plan?.trim() || e.lesson?.trim() || e.emotion || e.tags?.length,
  );
}

/**
 * Tags typed in one box (`Breakout, earnings  swing`): split on commas and spaces, lowercased,
 * each once in the order given; or why not.
 */
export function parseTags(text: string): { ok: true; tags: string[] } | {
  ok: false;
  message: string;
} {
  const tags = [
    ...new Set(text.split(/[\s,]+/).map((t) => t.trim().toLowerCase()).filter(Boolean)),
  ];
  const bad = tags.find((t) => !TAG.test(t));
  if (bad !== undefined) return { ok: false, message: `"${bad}": ${TAG_RULE}` };
  if (tags.length > MAX_TAGS) return { ok: false, message: `At most ${MAX_TAGS} tags.` };
  return { ok: true, tags };
}
