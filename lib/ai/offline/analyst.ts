/**
 * The offline analyst: deterministic, no key, the same tools as Claude. It reads one intent from
 * the message (intents.ts), calls the registry's tools for it and answers with templates filled
 * only from their results (templates.ts), streamed in a few text deltas like a model's answer.
 */
import type { ToolRegistry } from "../tools/registry.ts";
import {
  type Analyst,
  AnalystError,
  NO_USAGE,
  type StructuredRequest,
  type StructuredResult,
  type ToolCallRecord,
  type ToolContext,
  type TurnEvent,
  type TurnRequest,
  type TurnResult,
} from "../types.ts";
import type { Services } from "../../services.ts";
import { detectIntent, type Intent } from "./intents.ts";
import * as t from "./templates.ts";

function checkAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AnalystError("aborted", "The request was canceled.");
}

/** Splits an answer into sentence-sized deltas, so the chat streams it like any other. */
export function chunks(text: string): string[] {
  // After a sentence's end and its space, so decimals ($73.86) never split and joining restores it.
  return text.split(/(?<=[.!?:] )/);
}

export class OfflineAnalyst implements Analyst {
  readonly kind = "offline";
  readonly model = "offline";
  constructor(readonly services: Services, readonly tools: ToolRegistry) {}

  async turn(request: TurnRequest, onEvent: (event: TurnEvent) => void): Promise<TurnResult> {
    const { signal } = request;
    checkAborted(signal);
    const ctx: ToolContext = { services: this.services, userId: request.userId, signal };
    const calls: ToolCallRecord[] = [];
    const use = async (name: string, input: unknown): Promise<ToolCallRecord> => {
      checkAborted(signal);
      const id = `offline_${calls.length + 1}`;
      onEvent({ type: "tool_call", id, name, input });
      const call = await this.tools.call(id, name, input, ctx);
      checkAborted(signal);
      calls.push(call);
      onEvent({ type: "tool_result", call });
      return call;
    };
    const intent = detectIntent(request.message, request.context);
    const body = await this.#answer(intent, use);
    const text = (calls.some((c) => c.ok) ? t.sourceLine(calls.find((c) => c.ok)?.source) : "") +
      body;
    for (const delta of chunks(text)) {
      checkAborted(signal);
      onEvent({ type: "text", delta });
    }
    return { text, analyst: "offline", model: "offline", usage: { ...NO_USAGE }, toolCalls: calls };
  }

  async #answer(
    intent: Intent,
    use: (name: string, input: unknown) => Promise<ToolCallRecord>,
  ): Promise<string> {
    // Each branch: one or two tool calls, then a template over what they returned.
    // deno-lint-ignore no-explicit-any
    const one = async (name: string, input: unknown, render: (data: any) => string) => {
      const c = await use(name, input);
      return c.ok ? render(c.output) : t.failedText(c.error);
    };
    switch (intent.kind) {
      case "price":
        return await one("get_quote", { symbol: intent.symbol }, t.priceText);
      case "compare":
        return await one("get_quotes", { symbols: intent.symbols }, t.compareText);
      case "position":
        return await one(
          "get_positions",
          { symbol: intent.symbol },
          (d) => d.positions.map(t.positionText).join(" "),
        );
      case "portfolio":
        return await one("get_portfolio", {}, t.portfolioText);
      case "preview":
        return await one(
          "preview_order",
          { symbol: intent.symbol, side: intent.side, qty: intent.qty },
          t.previewText,
        );
      case "indicators":
        return await one(
          "get_bars",
          { symbol: intent.symbol, interval: "daily", count: 1 },
          (d) => t.indicatorsText(intent.symbol, d),
        );
      case "movers":
        return await one("get_movers", { count: 3 }, t.moversText);
      case "clock":
        return await one("get_market_clock", {}, t.clockText);
      case "help":
        return t.HELP_TEXT;
    }
  }

  async structured<T>(request: StructuredRequest<T>): Promise<StructuredResult<T>> {
    checkAborted(request.signal);
    const ctx: ToolContext = {
      services: this.services,
      userId: request.userId,
      signal: request.signal,
    };
    const produced = await request.offline(ctx);
    checkAborted(request.signal);
    const parsed = request.schema.safeParse(produced);
    if (!parsed.success) {
      throw new AnalystError(
        "invalid_output",
        `The offline ${request.task} did not match its schema.`,
      );
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
