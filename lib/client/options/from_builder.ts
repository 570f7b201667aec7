/**
 * The strategy builder's analysed legs as an option ticket: each option leg names its listed
 * contract (OCC symbol, resolved on the server), quantities become units × ratios in lowest
 * terms (a 1-2-1 butterfly stays 1:2:1, two iron condors become 2 units of 1:1:1:1), and
 * what cannot be one option order says why: a stock leg, a strike not listed, more than 4 legs.
 *
 * Browser code: no zod, no DOM, no fetch.
 */
import { parseOcc } from "../../shared/occ.ts";
import type { AnalyzedLeg } from "../risk/options_builder.ts";
import { MAX_LEGS, type TicketLeg } from "./ticket.ts";

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

export function ticketFromAnalysis(
  legs: readonly Pick<AnalyzedLeg, "type" | "side" | "quantity" | "premium" | "contract">[],
): { ok: true; legs: TicketLeg[]; qty: number } | { ok: false; message: string } {
  if (legs.length === 0) return { ok: false, message: "Add legs and analyse them first." };
  if (legs.some((l) => l.type === "stock")) {
    return {
      ok: false,
      message: "A stock leg cannot be part of an option order: buy the shares on Execute Trade " +
        "and send the option legs alone.",
    };
  }
  if (legs.length > MAX_LEGS) {
    return {
      ok: false,
      message: `One order has at most ${MAX_LEGS} legs; this has ${legs.length}.`,
    };
  }
  const out: TicketLeg[] = [];
  for (const [i, l] of legs.entries()) {
    const c = l.contract ? parseOcc(l.contract) : null;
    if (!c) {
      return {
        ok: false,
        message: `Leg ${i + 1} is not a listed contract (a hypothetical strike): pick a strike ` +
          "from the chain to trade it.",
      };
    }
    out.push({
      ...c,
      side: l.side,
      ratioQty: l.quantity,
      positionIntent: l.side === "buy" ? "buy_to_open" : "sell_to_open",
      autoIntent: true,
      bid: null,
      ask: null,
      mark: Number.isFinite(l.premium) ? l.premium : null,
    });
  }
  if (new Set(out.map((l) => l.symbol)).size !== out.length) {
    return { ok: false, message: "Two legs are on the same contract: merge them into one leg." };
  }
  const common = out.reduce((g, l) => gcd(g, l.ratioQty), 0);
  if (out.length === 1) return { ok: true, legs: [{ ...out[0], ratioQty: 1 }], qty: common };
  return { ok: true, legs: out.map((l) => ({ ...l, ratioQty: l.ratioQty / common })), qty: common };
}
