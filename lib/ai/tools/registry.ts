/**
 * The analyst's tools: one registry that both analysts call. Each tool has a zod input schema
 * (exported as JSON Schema for Claude), runs with the caller's user id and nothing else, and
 * answers data with its `source` and time. No tool places, approves or cancels anything: the
 * only tool that writes (`propose_order`) makes a pending proposal that a person must approve,
 * so text in a tool result can never become an order by itself.
 */
import { z } from "zod";
import type { ToolCallRecord, ToolContext, ToolOutput } from "../types.ts";

/** Tool results above this many characters of JSON are cut, so one call cannot flood a prompt. */
export const MAX_TOOL_OUTPUT_CHARS = 16_000;

export interface AnalystTool<I = unknown> {
  name: string;
  description: string;
  input: z.ZodType<I>;
  run(input: I, ctx: ToolContext): Promise<ToolOutput>;
}

/** Any tool, whatever its input type (the registry validates input before it runs). */
// deno-lint-ignore no-explicit-any
export type AnyTool = AnalystTool<any>;

/** Declares a tool with its input type inferred from the schema. */
export function defineTool<S extends z.ZodType>(tool: {
  name: string;
  description: string;
  input: S;
  run(input: z.infer<S>, ctx: ToolContext): Promise<ToolOutput>;
}): AnalystTool<z.infer<S>> {
  return tool as AnalystTool<z.infer<S>>;
}

/** The shape Claude's `tools` parameter takes. */
export interface ToolDefinition {
  name: string;
  description: string;
  input_schema: Record<string, unknown> & { type: "object" };
}

/** A failure a tool reports on purpose (unknown symbol, no such position): shown to the model. */
export class ToolError extends Error {}

export class ToolRegistry {
  readonly #tools = new Map<string, AnalystTool>();
  #definitions?: ToolDefinition[];

  constructor(tools: AnyTool[]) {
    for (const tool of tools) {
      if (!/^[a-z][a-z0-9_]{0,63}$/.test(tool.name)) throw new Error(`bad tool name ${tool.name}`);
      if (this.#tools.has(tool.name)) throw new Error(`tool ${tool.name} registered twice`);
      this.#tools.set(tool.name, tool);
    }
  }

  /** A registry with more tools (later stages add theirs: scan, backtest, news, ...). */
  with(tools: AnyTool[]): ToolRegistry {
    return new ToolRegistry([...this.#tools.values(), ...tools]);
  }

  names(): string[] {
    return [...this.#tools.keys()];
  }

  get(name: string): AnalystTool | undefined {
    return this.#tools.get(name);
  }

  /** Tool definitions for Claude, built once (they are part of the cached prompt prefix). */
  definitions(): ToolDefinition[] {
    this.#definitions ??= [...this.#tools.values()].map((tool) => {
      const { $schema: _drop, ...schema } = z.toJSONSchema(tool.input, { io: "input" }) as
        & Record<string, unknown>
        & { type: "object" };
      return { name: tool.name, description: tool.description, input_schema: schema };
    });
    return this.#definitions;
  }

  /**
   * Runs one call. Never throws: bad input, an unknown tool and a failing tool all come back as
   * `ok: false` with a message the model (and the user, in the chat's steps) can read.
   */
  async call(id: string, name: string, input: unknown, ctx: ToolContext): Promise<ToolCallRecord> {
    const started = performance.now();
    const done = (rest: Omit<ToolCallRecord, "id" | "name" | "input" | "ms">): ToolCallRecord => ({
      id,
      name,
      input,
      ms: Math.round((performance.now() - started) * 100) / 100,
      ...rest,
    });
    const tool = this.#tools.get(name);
    if (!tool) return done({ ok: false, error: `There is no tool named ${name}.` });
    const parsed = tool.input.safeParse(input ?? {});
    if (!parsed.success) {
      return done({ ok: false, error: `Invalid input: ${z.prettifyError(parsed.error)}` });
    }
    try {
      const out = await tool.run(parsed.data, ctx);
      return done({ ok: true, source: out.source, asOf: out.asOf, output: capOutput(out.data) });
    } catch (err) {
      if (ctx.signal?.aborted) throw err;
      const message = err instanceof ToolError || err instanceof z.ZodError
        ? (err as Error).message
        : "The tool failed; the data is not available right now.";
      return done({ ok: false, error: message });
    }
  }
}

/** Keeps a result under MAX_TOOL_OUTPUT_CHARS of JSON, saying so when it had to cut. */
export function capOutput(data: unknown, max = MAX_TOOL_OUTPUT_CHARS): unknown {
  const json = JSON.stringify(data) ?? "null";
  if (json.length <= max) return data;
  return {
    truncated: true,
    note: `The result was ${json.length} characters; only the first ${max} are kept.`,
    json: json.slice(0, max),
  };
}
