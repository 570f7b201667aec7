/**
 * The offline analyst: deterministic, no key, the same tools as Claude. It recognises a fixed
 * set of questions (lib/ai/offline/intents.ts), calls the tools those need through the shared
 * registry, and answers with sentences filled only from their results (answers.ts), streamed a
 * sentence at a time like a model's answer. Anything else gets a plain account of what it can
 * do offline and how to turn Claude on.
 */
import type { Services } from "../../services.ts";
import type { ToolRegistry } from "../tools/registry.ts";
import {
  type Analyst,
  AnalystError,
  NO_USAGE,
  type StructuredRequest,
  type StructuredResult,
  type ToolCallRecord,
  type TurnEvent,
  type TurnRequest,
  type TurnResult,
} from "../types.ts";
import { compose, plan } from "./answers.ts";
import { detectIntent } from "./intents.ts";

export class OfflineAnalyst implements Analyst {
  readonly kind = "offline";
  readonly model = "offline";

  constructor(readonly services: Services, readonly tools: ToolRegistry) {}

  async turn(request: TurnRequest, onEvent: (event: TurnEvent) => void): Promise<TurnResult> {
    const { signal } = request;
    const aborted = () => {
      if (signal?.aborted) throw new AnalystError("aborted", "The answer was stopped.");
    };
    aborted();
    const intent = detectIntent(request.message, request.context);
    const ctx = { services: this.services, userId: request.userId, signal };
    const calls: ToolCallRecord[] = [];
    for (const [i, [name, input]] of plan(intent).entries()) {
      const id = `offline_${i + 1}`;
      onEvent({ type: "tool_call", id, name, input });
      const call = await this.tools.call(id, name, input, ctx);
      calls.push(call);
      onEvent({ type: "tool_result", call });
      aborted();
    }
    const text = compose(intent, calls);
    // A sentence at a time, so the chat streams the offline answer like a model's.
    for (const piece of sentences(text)) {
      aborted();
      onEvent({ type: "text", delta: piece });
    }
    return { text, analyst: "offline", model: "offline", usage: { ...NO_USAGE }, toolCalls: calls };
  }

  async structured<T>(request: StructuredRequest<T>): Promise<StructuredResult<T>> {
    const value = await request.offline({
      services: this.services,
      userId: request.userId,
      signal: request.signal,
    });
    const parsed = request.schema.safeParse(value);
    if (!parsed.success) {
      throw new AnalystError("invalid_output", `The offline ${request.task} did not validate.`);
    }
    return {
      value: parsed.data,
      analyst: "offline",
      model: "offline",
      usage: { ...NO_USAGE },
      attempts: 1,
      toolCalls: [],
    };
  }

  ping(): Promise<void> {
    return Promise.resolve();
  }
}

/** `text` cut after each sentence's end (and the space after it), nothing lost. */
export function sentences(text: string): string[] {
  const out: string[] = [];
  let from = 0;
  for (const m of text.matchAll(/[.!?]\s+/g)) {
    out.push(text.slice(from, m.index + m[0].length));
    from = m.index + m[0].length;
  }
  if (from < text.length) out.push(text.slice(from));
  return out;
}
