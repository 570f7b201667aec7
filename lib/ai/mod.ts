/**
 * Opens the analyst the configuration asks for: Claude when ANTHROPIC_API_KEY is set, the
 * offline analyst otherwise. Both get the same tool registry, and both are measured and traced
 * (./observed.ts).
 */
import type { Services } from "../services.ts";
import { ClaudeAnalyst } from "./claude/analyst.ts";
import { OfflineAnalyst } from "./offline/analyst.ts";
import { observedAnalyst } from "./observed.ts";
import { analystTools } from "./tools/mod.ts";
import type { Analyst } from "./types.ts";

export type { Analyst } from "./types.ts";

export function openAnalyst(services: Omit<Services, "analyst">): Analyst {
  const all = services as Services;
  const tools = analystTools();
  const { ANTHROPIC_API_KEY, ANTHROPIC_MODEL, ANTHROPIC_BASE_URL } = services.config;
  return observedAnalyst(
    ANTHROPIC_API_KEY
      ? new ClaudeAnalyst(all, tools, {
        apiKey: ANTHROPIC_API_KEY,
        model: ANTHROPIC_MODEL,
        baseURL: ANTHROPIC_BASE_URL,
      })
      : new OfflineAnalyst(all, tools),
  );
}
