/**
 * Placeholder for the grounding checker built on branch h-ai-offline (the lead takes that file
 * at merge). It checks nothing and says so: `checked: 0`.
 */
import type { ToolCallRecord } from "./types.ts";

export interface GroundingResult {
  unverified: string[];
  checked: number;
}

export function checkGrounding(
  _text: string,
  _toolCalls: ToolCallRecord[],
  _userMessage: string,
): GroundingResult {
  return { unverified: [], checked: 0 };
}
