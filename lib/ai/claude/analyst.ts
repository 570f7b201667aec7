/**
 * The Claude analyst, through the official `@anthropic-ai/sdk`. (Being built: this placeholder
 * refuses every call so nothing can mistake it for an answer.)
 */
import type { ToolRegistry } from "../tools/registry.ts";
import {
  type Analyst,
  AnalystError,
  type StructuredRequest,
  type StructuredResult,
  type TurnResult,
} from "../types.ts";
import type { Services } from "../../services.ts";

export interface ClaudeOptions {
  apiKey: string;
  model: string;
  /** The API's address; tests point it at the fake server in tests/fakes/anthropic.ts. */
  baseURL?: string;
}

export class ClaudeAnalyst implements Analyst {
  readonly kind = "claude";
  readonly model: string;
  constructor(readonly services: Services, readonly tools: ToolRegistry, options: ClaudeOptions) {
    this.model = options.model;
  }
  turn(): Promise<TurnResult> {
    return Promise.reject(new AnalystError("upstream", "The Claude analyst is not built yet."));
  }
  structured<T>(_request: StructuredRequest<T>): Promise<StructuredResult<T>> {
    return Promise.reject(new AnalystError("upstream", "The Claude analyst is not built yet."));
  }
  ping(): Promise<void> {
    return Promise.reject(
      new Error("the Claude analyst is not built yet; unset ANTHROPIC_API_KEY for the offline one"),
    );
  }
}
