/**
 * "Explain" for one News item: the analyst's short summary of a market event (or an Alpaca news
 * item) and what it could mean for the user's own position, with every figure grounded.
 *
 * The item is looked up again on the server from its reference (an event is recomputed from
 * prices by symbol, day and rule; a news item is fetched from the news source by id), so the
 * client never supplies the numbers. The position is read from the broker for the caller only.
 * The analyst (Claude, or the offline template over the same facts) answers
 * `{ summary, whatItCouldMean, figures }`; the position's own numbers (held, qty, value, P&L)
 * always come from the broker, never from the model. The grounding checker
 * (lib/ai/grounding.ts) then lists every figure of the text, and every figure value, that is not
 * one of the facts handed to the analyst.
 *
 * @module
 */
import { z } from "zod";
import type { Services } from "../services.ts";
import type { Position } from "../broker/types.ts";
import type { AnalystKind, ToolCallRecord } from "../ai/types.ts";
import { checkGrounding, matches, sourceNumbers } from "../ai/grounding.ts";
import { recordUsage } from "../ai/conversations.ts";
import { loadModel } from "../ml/sentiment/model.ts";
import type { SentimentLabel } from "../ml/sentiment/dataset.ts";
import { HttpError } from "../http/errors.ts";
import { BarsMemo, type ContextualEvent, eventsFeed, MAX_WINDOW_DAYS, SP500, VIX } from "./feed.ts";
import type { EventKind } from "./events.ts";
import { asOfDay, newsSourceFor, positionImpact } from "./service.ts";
import { ALPACA_PAGE_SIZE, type NewsItem } from "./source.ts";
import { sharesWithUnit } from "../shared/money.ts";

export const UNITS = ["USD", "%", "shares", "x", "points", "σ"] as const;
export type FigureUnit = typeof UNITS[number];

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "A date as YYYY-MM-DD.");

export const figureSchema = z.strictObject({
  label: z.string().trim().min(1).max(60),
  value: z.number().finite(),
  unit: z.enum(UNITS),
  /** Where the value came from: `replay`, `paper`, `alpaca`, `sentiment model`. */
  source: z.string().trim().min(1).max(40),
  /** The day the value describes. */
  asOf: day,
});
export type Figure = z.infer<typeof figureSchema>;

/** What the analyst must answer (Claude gets it as the `answer` tool's JSON Schema). */
export const explainAnswerSchema = z.strictObject({
  summary: z.string().trim().min(1).max(1200),
  /** Null when the item names no stock a position could be held in (an index, the VIX). */
  whatItCouldMean: z.string().trim().min(1).max(1200).nullable(),
  figures: z.array(figureSchema).max(16),
});
export type ExplainAnswer = z.infer<typeof explainAnswerSchema>;

export type ExplainRef =
  | { type: "event"; symbol: string; date: string; kind: EventKind }
  | { type: "news"; id: string; symbol: string; createdAt: string };

/** The caller's position in the item's symbol, as the broker reports it. */
export interface PositionFacts {
  held: boolean;
  symbol: string;
  /** Signed shares (negative short); 0 when not held. */
  qty: number;
  side: "long" | "short" | null;
  /** Signed market value, USD. */
  value: number | null;
  /** Unrealized P&L, USD. */
  pnl: number | null;
  /** Unrealized P&L as % of the cost basis. */
  pnlPercent: number | null;
  avgEntryPrice: number | null;
  /** The item's move (%) applied to today's value, USD (price-move events only). */
  sameMoveUsd: number | null;
  movePercent: number | null;
  source: string;
}

/** Everything the analyst may use; also the grounding checker's source of numbers. */
export interface ExplainFacts {
  asOf: string;
  prices: string;
  item:
    | { type: "event"; event: ContextualEvent }
    | {
      type: "news";
      news: Omit<NewsItem, "content">;
      sentiment: { label: SentimentLabel; confidence: number; model: string };
      symbol: string;
    };
  /** Null for index items (SPX, VIX): there is no position to hold in them. */
  position: PositionFacts | null;
}

export interface Explained {
  item: ExplainFacts["item"];
  asOf: string;
  summary: string;
  forPosition:
    | {
      held: boolean;
      qty: number;
      value: number | null;
      pnl: number | null;
      whatItCouldMean: string;
    }
    | null;
  figures: Figure[];
  /** Figures (as written, or `label: value` for a figure entry) found in none of the facts. */
  unverified: string[];
  checked: number;
  analyst: AnalystKind;
  model: string;
}

const memos = new WeakMap<object, BarsMemo>();

const INSTRUCTIONS = "Explain this News Review item to the trader in 2-4 plain sentences " +
  "(summary), and, when position is not null, what it could mean for their position " +
  "(whatItCouldMean, 1-3 sentences; say so plainly when they do not hold it). List the figures " +
  "you rely on with label, value, unit, source and asOf exactly as in the input. Use only " +
  "numbers from the input, written as they appear there (rounded to at most 2 decimals), with " +
  "units. A price-derived event is not a news report: do not invent causes. No advice to buy " +
  "or sell.";

/** Looks the item up, asks the analyst, checks the figures. */
export async function explainItem(
  services: Services,
  userId: number,
  ref: ExplainRef,
  signal?: AbortSignal,
): Promise<Explained> {
  const facts = await gatherFacts(services, userId, ref);
  const result = await services.analyst.structured({
    userId,
    task: "news_explain",
    instructions: INSTRUCTIONS,
    input: facts,
    schema: explainAnswerSchema,
    offline: () => Promise.resolve(offlineExplain(facts)),
    signal,
  });
  await recordUsage(
    services.db,
    userId,
    "news_explain",
    result.analyst,
    result.model,
    result.usage,
  );
  return ground(facts, result.value, result.analyst, result.model);
}

/** The answer checked against the facts; the position's numbers from the broker. */
export function ground(
  facts: ExplainFacts,
  answer: ExplainAnswer,
  analyst: AnalystKind,
  model: string,
): Explained {
  const record: ToolCallRecord = {
    id: "news_item",
    name: "news_explain_input",
    input: {},
    ok: true,
    output: facts,
    ms: 0,
  };
  const text = [answer.summary, answer.whatItCouldMean ?? ""].join("\n");
  const report = checkGrounding(text, [record]);
  const sources = sourceNumbers(facts);
  const badFigures = answer.figures.filter((f) =>
    !sources.some((s) =>
      matches({
        raw: String(f.value),
        value: f.value,
        decimals: decimalsOf(f.value),
        percent: f.unit === "%",
        scale: 1,
        currency: f.unit === "USD",
        marked: true,
      }, s)
    )
  ).map((f) => `${f.label}: ${f.value}`);
  const p = facts.position;
  return {
    item: facts.item,
    asOf: facts.asOf,
    summary: answer.summary,
    forPosition: p
      ? {
        held: p.held,
        qty: p.qty,
        value: p.value,
        pnl: p.pnl,
        whatItCouldMean: answer.whatItCouldMean ?? noPositionText(p),
      }
      : null,
    figures: answer.figures,
    unverified: [...report.unverified, ...badFigures],
    checked: report.checked + answer.figures.length,
    analyst,
    model,
  };
}

function decimalsOf(v: number): number {
  const s = String(v);
  const dot = s.indexOf(".");
  return dot < 0 || s.includes("e") ? 0 : Math.min(s.length - dot - 1, 10);
}

export async function gatherFacts(
  services: Services,
  userId: number,
  ref: ExplainRef,
): Promise<ExplainFacts> {
  const asOf = await asOfDay(services.market);
  const positions = await services.broker.positions(userId);
  const held = positions.find((p) => p.symbol === ref.symbol);
  const isIndex = ref.symbol === SP500 || ref.symbol === VIX;
  if (ref.type === "event") {
    const event = await findEvent(services, asOf, ref);
    const impact = positionImpact(event, held);
    return {
      asOf,
      prices: services.market.source,
      item: { type: "event", event },
      position: isIndex ? null : positionFacts(ref.symbol, held, services.broker.kind, {
        sameMoveUsd: impact?.sameMoveUsd ?? null,
        movePercent: impact?.movePercent ?? null,
      }),
    };
  }
  const source = newsSourceFor(services);
  if (!source) {
    throw new HttpError(
      409,
      "news_unavailable",
      "There is no news source offline; only market events can be explained.",
    );
  }
  // Oldest first from the item's own time: it heads the answer however much news came after it
  // (newest first, a busy symbol's later news would push it past any page). The reference must
  // name the item's instant (in any offset or precision); another time is not this item.
  const page = await source.news({
    symbols: [ref.symbol],
    start: ref.createdAt,
    sort: "asc",
    limit: ALPACA_PAGE_SIZE,
  });
  const found = page.items.find((n) =>
    n.id === ref.id && n.symbols.includes(ref.symbol) &&
    Date.parse(n.createdAt) === Date.parse(ref.createdAt)
  );
  if (!found) throw new HttpError(404, "not_found", "No such news item for that symbol.");
  const { content: _content, ...news } = found;
  const model = await loadModel();
  const s = model.predict(news.summary ? `${news.headline}. ${news.summary}` : news.headline);
  return {
    asOf,
    prices: services.market.source,
    item: {
      type: "news",
      news,
      symbol: ref.symbol,
      sentiment: { label: s.label, confidence: s.confidence, model: model.meta.name },
    },
    position: isIndex ? null : positionFacts(ref.symbol, held, services.broker.kind, {
      sameMoveUsd: null,
      movePercent: null,
    }),
  };
}

async function findEvent(
  services: Services,
  asOf: string,
  ref: Extract<ExplainRef, { type: "event" }>,
): Promise<ContextualEvent> {
  let memo = memos.get(services.market);
  if (!memo) memos.set(services.market, memo = new BarsMemo(services.market));
  const isIndex = ref.symbol === SP500 || ref.symbol === VIX;
  const feed = await eventsFeed(memo, {
    asOf,
    days: MAX_WINDOW_DAYS,
    symbols: isIndex ? [] : [ref.symbol],
    market: isIndex,
  });
  const event = feed.events.find((e) =>
    e.symbol === ref.symbol && e.date === ref.date && e.kind === ref.kind
  );
  if (!event) {
    throw new HttpError(
      404,
      "not_found",
      `No ${ref.kind} event for ${ref.symbol} on ${ref.date} in the last ${MAX_WINDOW_DAYS} ` +
        `trading days before ${asOf}.`,
    );
  }
  return event;
}

function positionFacts(
  symbol: string,
  p: Position | undefined,
  broker: string,
  move: { sameMoveUsd: number | null; movePercent: number | null },
): PositionFacts {
  if (!p) {
    return {
      held: false,
      symbol,
      qty: 0,
      side: null,
      value: null,
      pnl: null,
      pnlPercent: null,
      avgEntryPrice: null,
      sameMoveUsd: null,
      movePercent: null,
      source: broker,
    };
  }
  return {
    held: true,
    symbol,
    qty: p.qty,
    side: p.side,
    value: p.marketValue,
    pnl: p.unrealizedPl,
    pnlPercent: p.unrealizedPlPercent === null
      ? null
      : Math.round(p.unrealizedPlPercent * 10_000) / 100,
    avgEntryPrice: p.avgEntryPrice,
    ...move,
    source: broker,
  };
}

// ---- The offline analyst: fixed sentences over the facts, written as they are. ----

const num = (v: number, d = 2) =>
  Math.abs(v).toLocaleString("en-US", { minimumFractionDigits: d, maximumFractionDigits: d });
const usd = (v: number) => `${v < 0 ? "−" : ""}$${num(v)}`;
const signedUsd = (v: number) => `${v > 0 ? "+" : v < 0 ? "−" : ""}$${num(v)}`;
const pct = (v: number) => `${v > 0 ? "+" : v < 0 ? "−" : ""}${num(v)} %`;

/** Label and unit of each number an event rule reports. */
const NUMBER_LABELS: Record<string, [string, FigureUnit]> = {
  gapPercent: ["Gap at the open", "%"],
  previousClose: ["Previous close", "USD"],
  open: ["Open", "USD"],
  returnPercent: ["Close-to-close return", "%"],
  sigmaPercent: ["60-day σ of daily returns", "%"],
  zScore: ["z-score of the day", "σ"],
  volume: ["Volume", "shares"],
  averageVolume: ["20-day average volume", "shares"],
  ratio: ["Volume / average", "x"],
  close: ["Close", "USD"],
  previousHigh: ["Prior 52-week high", "USD"],
  previousLow: ["Prior 52-week low", "USD"],
  drawdownPercent: ["Below the 52-week high", "%"],
  line: ["Drawdown line", "%"],
  changePercent: ["Change on the day", "%"],
};

function eventFigures(e: ContextualEvent, prices: string): Figure[] {
  const index = e.symbol === SP500 || e.symbol === VIX;
  const out: Figure[] = Object.entries(e.numbers).map(([key, value]) => {
    const [label, unit] = NUMBER_LABELS[key] ?? [key, "x"];
    return {
      label,
      value,
      unit: index && unit === "USD" ? "points" : unit,
      source: prices,
      asOf: e.date,
    };
  });
  const c = e.context;
  if (!index && c.returnPercent !== null && !("returnPercent" in e.numbers)) {
    out.push({
      label: `${e.symbol} return on the day`,
      value: c.returnPercent,
      unit: "%",
      source: prices,
      asOf: e.date,
    });
  }
  if (!index && c.sp500Percent !== null) {
    out.push({
      label: "S&P 500 return on the day",
      value: c.sp500Percent,
      unit: "%",
      source: prices,
      asOf: e.date,
    });
  }
  if (c.sincePercent !== null && c.sinceDate) {
    out.push({
      label: `Move since, to the close of ${c.sinceDate}`,
      value: c.sincePercent,
      unit: "%",
      source: prices,
      asOf: c.sinceDate,
    });
  }
  return out;
}

function positionFigures(p: PositionFacts, asOf: string): Figure[] {
  if (!p.held) return [];
  const f = (label: string, value: number | null, unit: FigureUnit): Figure[] =>
    value === null ? [] : [{ label, value, unit, source: p.source, asOf }];
  return [
    ...f("Shares held", p.qty, "shares"),
    ...f("Market value", p.value, "USD"),
    ...f("Unrealized P&L", p.pnl, "USD"),
    ...f("Unrealized P&L", p.pnlPercent, "%"),
    ...f("Same move on today's value", p.sameMoveUsd, "USD"),
  ];
}

function noPositionText(p: PositionFacts): string {
  return `You hold no ${p.symbol}, so this does not move your account directly.`;
}

function holdingText(p: PositionFacts): string {
  const shares = `${sharesWithUnit(Math.abs(p.qty))} of ${p.symbol} ${
    p.side === "short" ? "short" : "long"
  }`;
  const value = p.value === null ? "" : ` worth ${usd(Math.abs(p.value))}`;
  const pnl = p.pnl === null ? "" : `, ${signedUsd(p.pnl)} unrealized` +
    (p.pnlPercent === null ? "" : ` (${pct(p.pnlPercent)})`);
  return `You hold ${shares}${value}${pnl}.`;
}

/** The offline analyst's answer: templated from the item's own numbers and the position. */
export function offlineExplain(facts: ExplainFacts): ExplainAnswer {
  const p = facts.position;
  if (facts.item.type === "news") {
    const { news, sentiment, symbol } = facts.item;
    const summary =
      `${news.source || "A source"} reported on ${
        news.createdAt.slice(0, 10)
      }: "${news.headline}". The sentiment model reads it as ${sentiment.label} ` +
      `(confidence ${num(sentiment.confidence * 100)} %); it judges tone, not market impact.`;
    const figures: Figure[] = [{
      label: `Model confidence (${sentiment.label})`,
      value: Math.round(sentiment.confidence * 10_000) / 100,
      unit: "%",
      source: "sentiment model",
      asOf: news.createdAt.slice(0, 10),
    }, ...(p ? positionFigures(p, facts.asOf) : [])];
    const mean = p === null
      ? null
      : p.held
      ? `${holdingText(p)} A ${sentiment.label} item on ${symbol} says nothing certain about ` +
        "the price; the position moves only with it."
      : noPositionText(p);
    return { summary, whatItCouldMean: mean, figures };
  }
  const e = facts.item.event;
  const sentences = [`On ${e.date}: ${e.title}.`];
  if (e.summary) sentences.push(e.summary);
  sentences.push("This is derived from prices, not a news report; the cause is not known here.");
  let mean: string | null = null;
  if (p) {
    if (!p.held) mean = noPositionText(p);
    else {
      mean = holdingText(p);
      if (p.sameMoveUsd !== null && p.movePercent !== null) {
        mean += ` The same ${pct(p.movePercent)} move on today's value would be ` +
          `${signedUsd(p.sameMoveUsd)}.`;
      } else {
        mean += " This kind of event gives no size of move to apply to the position.";
      }
      const since = e.context.sincePercent;
      if (since !== null && e.context.sinceDate) {
        mean += ` Since that day the price moved ${pct(since)} through ${e.context.sinceDate}.`;
      }
    }
  }
  return {
    summary: sentences.join(" "),
    whatItCouldMean: mean,
    figures: [
      ...eventFigures(e, facts.prices),
      ...(p ? positionFigures(p, facts.asOf) : []),
    ].slice(0, 16),
  };
}
