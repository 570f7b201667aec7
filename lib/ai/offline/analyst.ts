/**
 * The offline analyst: deterministic, no key, the same tools as Claude. (Being built: this
 * placeholder refuses every call so nothing can mistake it for an answer.)
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

export class OfflineAnalyst implements Analyst {
  readonly kind = "offline";
  readonly model = "offline";
  constructor(readonly services: Services, readonly tools: ToolRegistry) {}
  turn(): Promise<TurnResult> {
    return Promise.reject(new AnalystError("upstream", "The offline analyst is not built yet."));
  }
  structured<T>(_request: StructuredRequest<T>): Promise<StructuredResult<T>> {
    return Promise.reject(new AnalystError("upstream", "The offline analyst is not built yet."));
  }
  ping(): Promise<void> {
    return Promise.resolve();
  }
}
