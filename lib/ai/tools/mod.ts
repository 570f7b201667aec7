/**
 * The registry of every analyst tool. Later stages add theirs here (scan, backtest, news,
 * sentiment, recommendations, sizing). None places, approves or cancels anything; the one that
 * writes, `propose_order`, makes a pending proposal for the person to approve.
 */
import { accountTools } from "./account_tools.ts";
import { marketTools } from "./market_tools.ts";
import { proposalTools } from "./proposal_tools.ts";
import { ToolRegistry } from "./registry.ts";

export function analystTools(): ToolRegistry {
  return new ToolRegistry([...marketTools, ...accountTools, ...proposalTools]);
}
