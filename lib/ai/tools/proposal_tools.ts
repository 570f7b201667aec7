/**
 * The analyst's one tool that writes: `propose_order` makes a PENDING proposal (lib/proposals/)
 * that waits for the user's approval. It cannot approve, place or cancel anything, and what it
 * makes is never auto-approved (lib/proposals/create.ts): an order the model suggests reaches
 * the broker only when the person approves it.
 */
import { z } from "zod";
import { tradableSymbolSchema } from "../../broker/api.ts";
import { HttpError } from "../../http/errors.ts";
import { createProposal } from "../../proposals/mod.ts";
import { defineTool, ToolError } from "./registry.ts";

const price = z.number().finite().positive().max(1_000_000);

export const proposeOrderTool = defineTool({
  name: "propose_order",
  description:
    "Proposes an order for the user to approve. It does NOT place the order: it creates a " +
    "pending proposal the user reviews (with a preview and the pre-trade checks) and approves " +
    "or rejects on the AI Recs stage; it expires at the session's close. Give the order " +
    "(shares as qty, or dollars as notional for market day orders) and your reasoning.",
  input: z.object({
    symbol: tradableSymbolSchema,
    side: z.enum(["buy", "sell"]),
    type: z.enum(["market", "limit", "stop", "stop_limit"]).default("market"),
    timeInForce: z.enum(["day", "gtc"]).default("day"),
    qty: z.number().finite().positive().max(1_000_000).optional(),
    notional: z.number().finite().positive().max(100_000_000).optional(),
    limitPrice: price.optional(),
    stopPrice: price.optional(),
    reason: z.string().trim().min(1).max(1000),
  }),
  async run({ reason, ...order }, { services, userId }) {
    try {
      const { proposal } = await createProposal(services, userId, {
        order,
        source: { kind: "chat", ref: null },
        note: reason,
      }, { actor: { kind: "analyst", id: null } });
      return {
        source: "proposals",
        asOf: proposal.createdAt,
        data: {
          proposal: {
            id: proposal.id,
            status: proposal.status,
            order: proposal.order,
            expiresAt: proposal.expiresAt,
          },
          note: "Pending: the user must approve it on the AI Recs stage. You cannot approve it.",
        },
      };
    } catch (err) {
      if (err instanceof HttpError && err.status < 500) throw new ToolError(err.message);
      throw err;
    }
  },
});

export const proposalTools = [proposeOrderTool];
