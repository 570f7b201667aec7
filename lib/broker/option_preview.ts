/**
 * The preview of an option order, for either broker: the stock preview's fields (cost, buying
 * power, checks) for the whole order, plus what the option order is: its structure, premium,
 * largest profit and loss, breakevens, the buying power it holds and by which rule, and each
 * leg's bid, ask and mark from the chain. USD amounts are for the whole order.
 *
 * @module
 */
import { getSettings } from "../settings.ts";
import { optionFill, optionMark } from "../options/fills.ts";
import type { StructureKind } from "../options/structure.ts";
import { assessOption, orderLegs, requestUnderlying } from "./option_checks.ts";
import { chainLabel, optionQuotes } from "./option_quotes.ts";
import type { Preview, TradingDeps } from "./trading.ts";
import type { ChainLabel, CheckResult, OrderLeg, OrderRequest, PositionIntent } from "./types.ts";

export interface OptionPreview {
  structure: StructureKind;
  label: string;
  /** USD, whole order: positive = debit paid, negative = credit received; null unpriced. */
  premium: number | null;
  maxProfit: number | "unlimited" | null;
  maxLoss: number | "unlimited" | null;
  breakevens: number[];
  buyingPower: { amount: number; rule: string };
  requires: "none" | "covered" | "spreads" | "naked";
  legs: {
    symbol: string;
    side: OrderLeg["side"];
    ratioQty: number;
    positionIntent: PositionIntent;
    bid: number | null;
    ask: number | null;
    mark: number | null;
  }[];
  chain: ChainLabel;
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

export async function previewOptionOrder(
  deps: TradingDeps,
  userId: number,
  req: OrderRequest,
): Promise<Preview & { option: OptionPreview }> {
  const legs = orderLegs(req);
  const underlying = requestUnderlying(req);
  const [settings, quotes, clock, account, positions] = await Promise.all([
    getSettings(deps.db, userId),
    optionQuotes(deps.market, legs.map((l) => l.symbol)),
    deps.market.clock(),
    deps.broker.account(userId),
    deps.broker.positions(userId),
  ]);
  const options: Record<string, number> = {};
  for (const p of positions) if (p.option) options[p.symbol] = p.qty;
  const first = quotes.values().next().value;
  const underlyingPrice = first?.underlyingPrice ?? undefined;
  const a = assessOption({
    request: req,
    quotes,
    held: {
      sharesHeld: positions.find((p) => p.symbol === underlying)?.qty ?? 0,
      cash: account.buyingPower,
      options,
      ...(underlyingPrice ? { underlyingPrice } : {}),
    },
    settings,
    equity: account.equity,
    buyingPower: account.buyingPower,
    dayPl: account.dayPl,
    marketOpen: clock.state === "open",
  });
  const checks: CheckResult[] = [...a.checks];
  const fillable = optionFill(req, [...quotes.values()]);
  if (req.type === "market" && fillable === null) {
    checks.push({
      rule: "price",
      ok: false,
      severity: "refuse",
      message: "A leg has no price to fill at (no ask to buy, no bid to sell): a market option " +
        "order fills all its legs or none. A limit order can wait for one.",
    });
  }
  // The order's natural prices per unit: what buying it costs (every leg at its side) and what
  // selling it gives (every leg reversed), and the mid-based mark.
  const sign = (l: OrderLeg) => l.side === "buy" ? 1 : -1;
  const marks = legs.map((l) => {
    const q = quotes.get(l.symbol);
    return q ? optionMark(q) : null;
  });
  const mark = marks.every((m) => m !== null)
    ? round6(legs.reduce((s, l, i) => s + sign(l) * l.ratioQty * marks[i]!, 0))
    : null;
  const reversed = legs.map((l) => ({
    ...l,
    side: l.side === "buy" ? "sell" as const : "buy" as const,
  }));
  const buyNet = fillable?.net ??
    optionFill({ ...req, type: "market" }, [...quotes.values()])?.net ??
    null;
  const sellNet = optionFill({ ...req, type: "market", legs: reversed, side: "sell" }, [
    ...quotes.values(),
  ])?.net ?? null;
  const single = req.orderClass !== "mleg";
  const s = a.structure;
  return {
    symbol: req.symbol,
    side: req.side,
    type: req.type,
    qty: a.qty,
    estimatedPrice: a.price,
    estimatedCost: a.cost,
    buyingPower: account.buyingPower,
    buyingPowerAfter: a.buyingPowerAfter,
    positionQty: single ? options[req.symbol] ?? 0 : 0,
    positionQtyAfter: a.positionQtyAfter,
    marketState: clock.state,
    marketOpen: clock.state === "open",
    quote: {
      bid: sellNet === null ? null : -sellNet,
      ask: buyNet,
      last: mark,
      timestamp: first?.timestamp ?? clock.timestamp,
      source: first?.source ?? deps.market.source,
    },
    checks,
    refused: checks.some((c) => !c.ok && c.severity === "refuse"),
    source: deps.broker.kind,
    option: {
      structure: s.kind,
      label: s.label,
      premium: s.premium,
      maxProfit: s.maxProfit,
      maxLoss: s.maxLoss,
      breakevens: s.breakevens,
      buyingPower: s.buyingPower,
      requires: s.requires,
      legs: legs.map((l, i) => {
        const q = quotes.get(l.symbol);
        return {
          symbol: l.symbol,
          side: l.side,
          ratioQty: l.ratioQty,
          positionIntent: l.positionIntent,
          bid: q?.bid ?? null,
          ask: q?.ask ?? null,
          mark: marks[i],
        };
      }),
      chain: first?.chain ?? chainLabel(deps.market.source),
    },
  };
}
