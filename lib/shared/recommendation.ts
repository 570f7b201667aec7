/**
 * A recommendation as the screens show it (the API's JSON), and the rules both sides use: the
 * action's colour class and direction, and the order a "Make a proposal" button sends.
 */
export type RecAction = "buy" | "sell" | "hold" | "trim" | "avoid";

export interface RecEvidence {
  signal: string;
  value: number | string;
  unit?: string;
  detail?: string;
  source: string;
  asOf: string;
}

export interface RecView {
  id: number;
  symbol: string;
  action: RecAction;
  confidence: number;
  confidenceBasis: string | null;
  entry: number;
  stop: number;
  target: number;
  suggestedShares: number;
  size: { rule: string; riskPercent: number; value: number; lossAtStop: number } | null;
  horizonDays: number;
  reasoning: string;
  evidence: RecEvidence[];
  asOf: string;
  source: string;
  analyst: string;
  model: string;
  status: string;
  createdAt: string;
}

/** The order a recommendation proposes. */
export interface ProposedOrder {
  symbol: string;
  side: "buy" | "sell";
  qty: number;
  type: "limit";
  limitPrice: number;
  timeInForce: "day";
}

/**
 * The proposal a recommendation makes: a day limit order at its entry for the suggested shares,
 * and a note with its levels; null for hold and avoid, or when the size rounds to no share. The
 * server builds it from the stored recommendation (`POST /api/ai/recommendations/:id/propose`);
 * the cards use it to decide whether to offer the button.
 */
export function proposalFor(
  r: Pick<
    RecView,
    "symbol" | "action" | "suggestedShares" | "entry" | "stop" | "target" | "confidence" | "asOf"
  >,
): { order: ProposedOrder; note: string } | null {
  const side = r.action === "buy"
    ? "buy"
    : r.action === "sell" || r.action === "trim"
    ? "sell"
    : null;
  if (!side || r.suggestedShares < 1) return null;
  return {
    order: {
      symbol: r.symbol,
      side,
      qty: r.suggestedShares,
      type: "limit",
      limitPrice: r.entry,
      timeInForce: "day",
    },
    note: `${r.action.toUpperCase()} ${r.symbol} from the AI recommendation of ${r.asOf}: ` +
      `stop $${r.stop.toFixed(2)}, target $${r.target.toFixed(2)}, confidence ${r.confidence}.`,
  };
}
