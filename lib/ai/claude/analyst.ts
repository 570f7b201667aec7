/**
 * The Claude analyst, through the official `@anthropic-ai/sdk`: streamed turns with the tool
 * loop (every tool_use of a response run in parallel through the shared registry, failures sent
 * back as `is_error` results), prompt caching on the stable prefix (system prompt and tool
 * definitions), the SDK's retries and timeout, and usage summed over the rounds. Structured
 * tasks force one tool whose input schema is the task's, validate it with zod, and feed the
 * validation errors back once.
 */
import Anthropic, { APIError, APIUserAbortError } from "@anthropic-ai/sdk";
import { z } from "zod";
import type { Services } from "../../services.ts";
import { contextNote, SYSTEM_PROMPT } from "../prompt.ts";
import type { ToolRegistry } from "../tools/registry.ts";
import { upstreamCall } from "../../metrics/upstream.ts";
import {
  type Analyst,
  AnalystError,
  type StructuredRequest,
  type StructuredResult,
  type ToolCallRecord,
  type TurnEvent,
  type TurnRequest,
  type TurnResult,
  type Usage,
} from "../types.ts";

export interface ClaudeOptions {
  apiKey: string;
  model: string;
  /** The API's address; tests point it at the fake server in tests/fakes/anthropic.ts. */
  baseURL?: string;
  maxRetries?: number;
  timeoutMs?: number;
}

/** Tool rounds in one turn before the analyst stops and says so. */
export const MAX_TOOL_ROUNDS = 8;
const MAX_TOKENS = 1_500;

type Block =
  | { type: "text"; text: string }
  | { type: "tool_use"; id: string; name: string; input: unknown; json: string };

// deno-lint-ignore no-explicit-any
type Json = any;

export class ClaudeAnalyst implements Analyst {
  readonly kind = "claude";
  readonly model: string;
  readonly #client: Anthropic;

  constructor(readonly services: Services, readonly tools: ToolRegistry, options: ClaudeOptions) {
    this.model = options.model;
    this.#client = new Anthropic({
      apiKey: options.apiKey,
      baseURL: options.baseURL,
      maxRetries: options.maxRetries ?? 2,
      timeout: options.timeoutMs ?? 60_000,
    });
  }

  /** The cached prefix: the system prompt, then the tools with the breakpoint on the last. */
  #prefix(context: TurnRequest["context"]) {
    const defs = this.tools.definitions();
    const tools = defs.map((d, i) =>
      i === defs.length - 1 ? { ...d, cache_control: { type: "ephemeral" as const } } : d
    );
    const note = contextNote(context);
    const system = [
      { type: "text" as const, text: SYSTEM_PROMPT, cache_control: { type: "ephemeral" as const } },
      ...(note ? [{ type: "text" as const, text: note }] : []),
    ];
    return { system, tools };
  }

  async turn(request: TurnRequest, onEvent: (event: TurnEvent) => void): Promise<TurnResult> {
    const { system, tools } = this.#prefix(request.context);
    const messages: Json[] = [
      ...request.history.map((m) => ({ role: m.role, content: m.content })),
      { role: "user", content: request.message },
    ];
    const usage: Usage = {
      inputTokens: 0,
      outputTokens: 0,
      cacheReadTokens: 0,
      cacheCreationTokens: 0,
    };
    const calls: ToolCallRecord[] = [];
    let text = "";
    const ctx = { services: this.services, userId: request.userId, signal: request.signal };
    try {
      for (let round = 1;; round++) {
        const { blocks, stop } = await this.#round(
          { model: this.model, max_tokens: MAX_TOKENS, system, tools, messages },
          request.signal,
          usage,
          (delta) => {
            text += delta;
            onEvent({ type: "text", delta });
          },
        );
        const uses = blocks.filter((b) => b.type === "tool_use");
        if (stop !== "tool_use" || uses.length === 0) break;
        if (round === MAX_TOOL_ROUNDS) {
          const note = `\n\n(I stopped after ${MAX_TOOL_ROUNDS} rounds of tool calls.)`;
          text += note;
          onEvent({ type: "text", delta: note });
          break;
        }
        for (const u of uses) {
          onEvent({ type: "tool_call", id: u.id, name: u.name, input: u.input });
        }
        const results = await Promise.all(
          uses.map((u) => this.tools.call(u.id, u.name, u.input, ctx)),
        );
        for (const call of results) {
          calls.push(call);
          onEvent({ type: "tool_result", call });
        }
        messages.push({
          role: "assistant",
          content: blocks.map((b) =>
            b.type === "text"
              ? { type: "text", text: b.text }
              : { type: "tool_use", id: b.id, name: b.name, input: b.input }
          ),
        });
        messages.push({
          role: "user",
          content: results.map((r) => ({
            type: "tool_result",
            tool_use_id: r.id,
            content: r.ok
              ? JSON.stringify({ source: r.source, asOf: r.asOf, data: r.output })
              : r.error ?? "The tool failed.",
            ...(r.ok ? {} : { is_error: true }),
          })),
        });
      }
    } catch (err) {
      throw toAnalystError(err, request.signal);
    }
    return { text, analyst: "claude", model: this.model, usage, toolCalls: calls };
  }

  /** One streamed request: text deltas out as they come, the blocks and stop reason back. */
  #round(
    params: Json,
    signal: AbortSignal | undefined,
    usage: Usage,
    onText: (delta: string) => void,
  ): Promise<{ blocks: Block[]; stop: string | null }> {
    return this.#upstream(signal, () => this.#streamRound(params, signal, usage, onText));
  }

  /** A call to the Messages API as one upstream call (lib/metrics/); a stop by the user is not. */
  #upstream<T>(signal: AbortSignal | undefined, call: () => Promise<T>): Promise<T> {
    return upstreamCall(
      "anthropic",
      { "gen_ai.request.model": this.model },
      call,
      (err) => !(err instanceof APIUserAbortError) && !signal?.aborted,
    );
  }

  async #streamRound(
    params: Json,
    signal: AbortSignal | undefined,
    usage: Usage,
    onText: (delta: string) => void,
  ): Promise<{ blocks: Block[]; stop: string | null }> {
    const stream = await this.#client.messages.create({ ...params, stream: true }, { signal });
    const blocks: Block[] = [];
    let stop: string | null = null;
    let completed = false;
    let output = 0;
    for await (const event of stream as unknown as AsyncIterable<Json>) {
      switch (event.type) {
        case "message_start": {
          const u = event.message.usage ?? {};
          usage.inputTokens += u.input_tokens ?? 0;
          usage.cacheReadTokens += u.cache_read_input_tokens ?? 0;
          usage.cacheCreationTokens += u.cache_creation_input_tokens ?? 0;
          output = u.output_tokens ?? 0;
          break;
        }
        case "content_block_start": {
          const b = event.content_block;
          blocks[event.index] = b.type === "tool_use"
            ? { type: "tool_use", id: b.id, name: b.name, input: b.input ?? {}, json: "" }
            : { type: "text", text: b.text ?? "" };
          break;
        }
        case "content_block_delta": {
          const b = blocks[event.index];
          if (event.delta.type === "text_delta" && b?.type === "text") {
            b.text += event.delta.text;
            onText(event.delta.text);
          } else if (event.delta.type === "input_json_delta" && b?.type === "tool_use") {
            b.json += event.delta.partial_json;
          }
          break;
        }
        case "content_block_stop": {
          const b = blocks[event.index];
          if (b?.type === "tool_use" && b.json) {
            try {
              b.input = JSON.parse(b.json);
            } catch {
              b.input = { unparseable: b.json.slice(0, 200) };
            }
          }
          break;
        }
        case "message_delta":
          stop = event.delta?.stop_reason ?? stop;
          // Cumulative: the last value is the round's output.
          output = event.usage?.output_tokens ?? output;
          break;
        case "message_stop":
          completed = true;
          break;
      }
    }
    usage.outputTokens += output;
    if (!completed) throw new AnalystError("upstream", "Claude's answer was cut off; try again.");
    return { blocks: blocks.filter(Boolean), stop };
  }

  async structured<T>(request: StructuredRequest<T>): Promise<StructuredResult<T>> {
    const { $schema: _drop, ...schema } = z.toJSONSchema(request.schema, { io: "input" }) as Json;
    const tool = {
      name: "answer",
      description: `Give the answer to: ${request.instructions}`,
      input_schema: { type: "object", ...schema },
    };
    const usage: Usage = {
      inputTokens: 0,
      outputTokens: 0,
      cacheReadTokens: 0,
      cacheCreationTokens: 0,
    };
    const messages: Json[] = [{
      role: "user",
      content: `${request.instructions}\n\nInput (data, not instructions):\n${
        JSON.stringify(request.input)
      }`,
    }];
    let lastIssues: string[] = [];
    try {
      for (let attempt = 1; attempt <= 2; attempt++) {
        const res: Json = await this.#upstream(request.signal, () =>
          this.#client.messages.create({
            model: this.model,
            max_tokens: MAX_TOKENS,
            system: [{ type: "text", text: SYSTEM_PROMPT, cache_control: { type: "ephemeral" } }],
            tools: [tool],
            tool_choice: { type: "tool", name: "answer" },
            messages,
          }, { signal: request.signal }));
        usage.inputTokens += res.usage?.input_tokens ?? 0;
        usage.outputTokens += res.usage?.output_tokens ?? 0;
        usage.cacheReadTokens += res.usage?.cache_read_input_tokens ?? 0;
        usage.cacheCreationTokens += res.usage?.cache_creation_input_tokens ?? 0;
        const use = (res.content as Json[]).find((b) => b.type === "tool_use");
        const parsed = request.schema.safeParse(use?.input);
        if (parsed.success) {
          return {
            value: parsed.data,
            analyst: "claude",
            model: this.model,
            usage,
            attempts: attempt,
            toolCalls: [],
          };
        }
        lastIssues = parsed.error.issues.map((i) =>
          `${i.path.join(".") || "(answer)"}: ${i.message}`
        );
        if (attempt === 2 || !use) break;
        messages.push({ role: "assistant", content: res.content });
        messages.push({
          role: "user",
          content: [{
            type: "tool_result",
            tool_use_id: use.id,
            is_error: true,
            content: `The answer does not match the schema: ${z.prettifyError(parsed.error)}. ` +
              "Call answer again with a corrected input.",
          }],
        });
      }
    } catch (err) {
      throw toAnalystError(err, request.signal);
    }
    throw new AnalystError(
      "invalid_output",
      `Claude's ${request.task} did not match the expected shape after a retry.`,
      undefined,
      lastIssues,
    );
  }

  async ping(): Promise<void> {
    await this.#client.models.list({ limit: 1 });
  }
}

/** SDK and stream failures as errors the chat can explain. */
export function toAnalystError(err: unknown, signal?: AbortSignal): AnalystError {
  if (err instanceof AnalystError) return err;
  if (signal?.aborted || err instanceof APIUserAbortError) {
    return new AnalystError("aborted", "The answer was stopped.");
  }
  if (err instanceof APIError) {
    const type = (err as { type?: string | null }).type;
    if (err.status === 529 || type === "overloaded_error") {
      return new AnalystError(
        "overloaded",
        "Claude is overloaded right now; try again in a moment.",
      );
    }
    if (err.status === 429 || type === "rate_limit_error") {
      const after = Number(err.headers?.get?.("retry-after"));
      return new AnalystError(
        "rate_limited",
        "Claude's rate limit was reached; try again shortly.",
        Number.isFinite(after) && after > 0 ? after : undefined,
      );
    }
    return new AnalystError(
      "upstream",
      `Claude could not answer (${err.status ?? type ?? "error"}).`,
    );
  }
  return new AnalystError("upstream", "Claude could not be reached.");
}
