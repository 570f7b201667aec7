/**
 * The `Analyst` seam: one interface, two implementations (Claude through the official SDK, and
 * the deterministic offline analyst), chosen by configuration in `lib/ai/mod.ts`. Every later
 * stage asks the analyst through these two call shapes: a streamed conversation turn, and a
 * structured task whose answer is validated by a zod schema.
 */
import type { z } from "zod";
import type { Services } from "../services.ts";

export type AnalystKind = "claude" | "offline";

/** What a tool runs with: the caller's user id and the app's seams, nothing else. */
export interface ToolContext {
  services: Services;
  userId: number;
  signal?: AbortSignal;
}

/** A tool's answer: the data, where it came from (`replay`, `tradier`, `paper`, ...) and when. */
export interface ToolOutput {
  source: string;
  /** ISO time the data describes (the quote's time, the snapshot's time). */
  asOf: string;
  data: unknown;
}

/** One tool call of a turn, as the chat shows it and the grounding checker reads it. */
export interface ToolCallRecord {
  id: string;
  name: string;
  input: unknown;
  ok: boolean;
  source?: string;
  asOf?: string;
  /** The (size-capped) data the tool returned; undefined when it failed. */
  output?: unknown;
  /** Why the call failed (bad input, unknown symbol, ...), when `ok` is false. */
  error?: string;
  ms: number;
}

export interface ChatMessage {
  role: "user" | "assistant";
  content: string;
}

/** Where the user is when they ask: the stage they are on, the symbol they look at. */
export interface TurnContext {
  stage?: string;
  symbol?: string;
}

export interface TurnRequest {
  userId: number;
  /** Earlier messages of the conversation, oldest first (without the new message). */
  history: ChatMessage[];
  message: string;
  context?: TurnContext;
  signal?: AbortSignal;
}

/** What a turn streams while it runs. */
export type TurnEvent =
  | { type: "text"; delta: string }
  | { type: "tool_call"; id: string; name: string; input: unknown }
  | { type: "tool_result"; call: ToolCallRecord };

export interface Usage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheCreationTokens: number;
}

export const NO_USAGE: Usage = Object.freeze({
  inputTokens: 0,
  outputTokens: 0,
  cacheReadTokens: 0,
  cacheCreationTokens: 0,
});

export interface TurnResult {
  text: string;
  analyst: AnalystKind;
  /** The model that answered (`offline` for the offline analyst). */
  model: string;
  usage: Usage;
  toolCalls: ToolCallRecord[];
}

export interface StructuredRequest<T> {
  userId: number;
  /** A short name of the task (`onboarding_profile`, `recommendations`), for logs and usage. */
  task: string;
  /** What to produce, in plain words, for a model. */
  instructions: string;
  /** The data to work from; serialised as JSON into the prompt. */
  input: unknown;
  schema: z.ZodType<T>;
  /**
   * How the offline analyst produces the answer: deterministic code over the same tools. Every
   * structured task brings its own, because templates cannot write arbitrary JSON.
   */
  offline: (ctx: ToolContext) => Promise<T>;
  signal?: AbortSignal;
}

export interface StructuredResult<T> {
  value: T;
  analyst: AnalystKind;
  model: string;
  usage: Usage;
  /** 1, or 2 when the first answer failed validation and the errors were fed back. */
  attempts: number;
  toolCalls: ToolCallRecord[];
}

export interface Analyst {
  readonly kind: AnalystKind;
  readonly model: string;
  /** Runs one conversation turn, streaming events to `onEvent`; resolves when it is done. */
  turn(request: TurnRequest, onEvent: (event: TurnEvent) => void): Promise<TurnResult>;
  /** Produces a value matching `request.schema` (one retry with the validation errors). */
  structured<T>(request: StructuredRequest<T>): Promise<StructuredResult<T>>;
  /** Whether the analyst can answer (health check); the offline analyst always can. */
  ping(): Promise<void>;
}

export type AnalystErrorCode =
  | "overloaded"
  | "rate_limited"
  | "budget_exhausted"
  | "upstream"
  | "invalid_output"
  | "aborted";

/** A failure the chat can explain to the user in plain words. */
export class AnalystError extends Error {
  constructor(
    readonly code: AnalystErrorCode,
    message: string,
    readonly retryAfterSeconds?: number,
    /** For `invalid_output`: what was wrong with the last answer, one `path: message` each. */
    readonly details?: string[],
  ) {
    super(message);
    this.name = "AnalystError";
  }
}
