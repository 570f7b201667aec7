/**
 * `POST /api/risk/options/analyze` and `GET /api/risk/options/templates`, the server side: the
 * request schemas, legs resolved against the market's option chain (a leg's premium is the
 * chain's mid and its IV the chain's, unless the request gives them: given values win, so a
 * hypothetical position can be analyzed too), and the answer built from lib/risk/options.
 *
 * @module
 */
import { z } from "zod";
import type { MarketData, OptionChain, OptionContract } from "../../market/types.ts";
import { isoDate } from "../../market/api.ts";
import { symbolSchema } from "../../market/symbols.ts";
import { addDays, daysBetween, nyInstant } from "../../market/exchange_time.ts";
import { nyTime } from "../../shared/ny_time.ts";
import { HttpError } from "../../http/errors.ts";
import { REPLAY_RATE } from "../../market/replay/options.ts";
import {
  analyze,
  firstExpiry,
  type Leg,
  legUnits,
  type OptionLeg,
  pnlCurves,
  type Scenario,
} from "./strategy.ts";
import { type ChainShape, TemplateError, TEMPLATES } from "./templates.ts";

/** Options expire at the close, 16:00 New York. */
const EXPIRY_SECONDS = 16 * 3600;
const YEAR_MS = 365 * 86_400_000;
/** The P&L table's rows. */
const TABLE_PRICES = 11;
/** Dates before expiry drawn when the request names none (the UI's date slider). */
const DEFAULT_DATES = 6;

const sideSchema = z.enum(["buy", "sell"]);
const optionLegSchema = z.object({
  type: z.enum(["call", "put"]),
  side: sideSchema,
  strike: z.number().finite().positive().max(1_000_000),
  expiration: isoDate,
  quantity: z.number().int("Whole contracts.").min(1).max(10_000),
  /** Per share, USD. */
  premium: z.number().finite().min(0).max(1_000_000).optional(),
  /** A fraction: 0.3 = 30 %. */
  iv: z.number().finite().positive().max(10, "An IV of at most 1,000 % (10).").optional(),
}).strict();
const stockLegSchema = z.object({
  type: z.literal("stock"),
  side: sideSchema,
  quantity: z.number().int("Whole shares.").min(1).max(1_000_000),
  /** Price per share; the underlying's price when left out. */
  premium: z.number().finite().positive().max(1_000_000).optional(),
}).strict();

export const analyzeSchema = z.object({
  symbol: symbolSchema,
  underlyingPrice: z.number().finite().positive().max(1_000_000).optional(),
  legs: z.array(z.discriminatedUnion("type", [optionLegSchema, stockLegSchema])).min(1).max(8),
  /** Dates before expiry to value the position at, besides now and the first expiry. */
  dates: z.array(isoDate).max(10).optional(),
  /** Volatility points added to every leg's IV before expiry, as a fraction (0.05 = +5). */
  ivShift: z.number().finite().min(-0.9).max(2).default(0),
  priceRange: z.object({
    min: z.number().finite().min(0),
    max: z.number().finite().positive().max(10_000_000),
    points: z.number().int().min(11).max(1001).default(201),
  }).strict().refine((r) => r.max > r.min, { message: "max must be above min.", path: ["max"] })
    .optional(),
}).strict();

export type AnalyzeRequest = z.infer<typeof analyzeSchema>;

export const templatesQuery = z.object({
  symbol: symbolSchema.optional(),
  expiration: isoDate.optional(),
}).strict();

/** What the replay's modelled chain is called in answers, so no one mistakes it for quotes. */
export function chainLabel(chain: Pick<OptionChain, "source">): string {
  return chain.source === "replay" ? "replay-model" : chain.source;
}

/** Rate the legs are priced at: the replay chain's own; 1 % for other sources too. */
const RATE = REPLAY_RATE;

function mid(c: OptionContract): number | null {
  if (c.bid == null || c.ask == null) return c.last ?? c.ask ?? c.bid ?? null;
  return Math.round(((c.bid + c.ask) / 2) * 10_000) / 10_000;
}

function problem(status: number, code: string, message: string, path: (string | number)[]) {
  return new HttpError(status, code, message, { issues: [{ path, message }] });
}

interface Resolved {
  leg: Leg;
  expiration: string | null;
  contract: string | null;
  premiumSource: "chain" | "given" | "quote";
  ivSource: "chain" | "given" | null;
}

/** Chains of one request, fetched once per expiration. */
function chainReader(market: MarketData, symbol: string) {
  const cache = new Map<string, Promise<OptionChain>>();
  return (expiration: string) => {
    let p = cache.get(expiration);
    if (!p) cache.set(expiration, p = market.chain(symbol, expiration));
    return p;
  };
}

/**
 * The request's legs with every premium and IV filled in and its time to expiry, checked:
 * an expiration that has passed is refused; a strike or expiration the chain does not list is
 * refused unless the leg brings its own premium and IV.
 */
async function resolveLegs(
  req: AnalyzeRequest,
  market: MarketData,
  listed: readonly string[],
  now: { ms: number; date: string },
  spot: number,
): Promise<Resolved[]> {
  const chainOf = chainReader(market, req.symbol);
  const out: Resolved[] = [];
  for (const [i, leg] of req.legs.entries()) {
    if (leg.type === "stock") {
      out.push({
        leg: { ...leg, premium: leg.premium ?? spot },
        expiration: null,
        contract: null,
        premiumSource: leg.premium === undefined ? "quote" : "given",
        ivSource: null,
      });
      continue;
    }
    const expiryMs = nyInstant(leg.expiration, EXPIRY_SECONDS);
    if (leg.expiration < now.date || expiryMs <= now.ms) {
      throw problem(
        400,
        "expiration_past",
        `Leg ${i + 1} expired on ${leg.expiration}; the market is at ${now.date}.`,
        ["legs", i, "expiration"],
      );
    }
    const hypothetical = leg.premium !== undefined && leg.iv !== undefined;
    let contract: OptionContract | undefined;
    if (listed.includes(leg.expiration)) {
      const chain = await chainOf(leg.expiration);
      contract = chain.options.find((o) => o.type === leg.type && o.strike === leg.strike);
      if (!contract && !hypothetical) {
        const near = chain.options.filter((o) => o.type === leg.type).map((o) => o.strike)
          .sort((a, b) => Math.abs(a - leg.strike) - Math.abs(b - leg.strike)).slice(0, 3)
          .sort((a, b) => a - b);
        throw problem(
          422,
          "not_on_chain",
          `No ${req.symbol} ${leg.type} at ${leg.strike} expires on ${leg.expiration} ` +
            `(nearest strikes: ${near.join(", ")}). Give premium and iv for a hypothetical leg.`,
          ["legs", i, "strike"],
        );
      }
    } else if (!hypothetical) {
      throw problem(
        422,
        "not_on_chain",
        `No ${req.symbol} options expire on ${leg.expiration}. Pick a listed expiration, or ` +
          `give premium and iv for a hypothetical leg.`,
        ["legs", i, "expiration"],
      );
    }
    const premium = leg.premium ?? (contract ? mid(contract) : null);
    const iv = leg.iv ?? contract?.greeks?.iv ?? null;
    if (premium == null || iv == null || !(iv > 0)) {
      throw problem(
        422,
        "no_chain_price",
        `The chain has no ${premium == null ? "price" : "implied volatility"} for leg ${i + 1}; ` +
          `give it in the request.`,
        ["legs", i, premium == null ? "premium" : "iv"],
      );
    }
    const resolved: OptionLeg = {
      type: leg.type,
      side: leg.side,
      strike: leg.strike,
      years: (expiryMs - now.ms) / YEAR_MS,
      quantity: leg.quantity,
      premium,
      iv,
    };
    out.push({
      leg: resolved,
      expiration: leg.expiration,
      contract: contract?.symbol ?? null,
      premiumSource: leg.premium === undefined ? "chain" : "given",
      ivSource: leg.iv === undefined ? "chain" : "given",
    });
  }
  return out;
}

/** The price axis: the request's, or every strike and the spot with room either side. */
export function priceGrid(
  legs: readonly Leg[],
  spot: number,
  range?: { min: number; max: number; points: number },
): number[] {
  let { min, max } = range ?? { min: 0, max: 0 };
  const points = range?.points ?? 201;
  if (!range) {
    const strikes = legs.flatMap((l) => l.type === "stock" ? [] : [l.strike]);
    const lo = Math.min(spot, ...strikes);
    const hi = Math.max(spot, ...strikes);
    // Two standard deviations of the spot at the first expiry, at least 10 % of it.
    const vols = legs.flatMap((l) => l.type === "stock" ? [] : [l.iv]);
    const sigma = vols.length ? Math.max(...vols) : 0.3;
    const move = spot * Math.max(0.1, 2 * sigma * Math.sqrt(Math.max(firstExpiry(legs), 1 / 365)));
    min = Math.max(0, lo - move);
    max = hi + move;
  }
  const step = (max - min) / (points - 1);
  return Array.from({ length: points }, (_, i) => round(min + i * step, 4));
}

function round(x: number, places = 2): number {
  const f = 10 ** places;
  return Math.round(x * f) / f;
}

/** Evenly spaced calendar dates strictly between today and the expiry. */
export function defaultDates(today: string, expiry: string, count = DEFAULT_DATES): string[] {
  const span = daysBetween(today, expiry);
  const out = new Set<string>();
  for (let i = 1; i <= count; i++) {
    const d = Math.round((span * i) / (count + 1));
    if (d > 0 && d < span) out.add(addDays(today, d));
  }
  return [...out];
}

export async function analyzeRequest(req: AnalyzeRequest, market: MarketData) {
  const [expirations, [quote]] = await Promise.all([
    market.expirations(req.symbol),
    market.quotes([req.symbol]),
  ]);
  const nowMs = Date.parse(expirations.timestamp);
  const now = { ms: nowMs, date: nyTime(nowMs).date };
  const spot = req.underlyingPrice ?? quote.last ?? quote.bid ?? quote.ask;
  if (!spot) {
    throw new HttpError(
      422,
      "no_price",
      `There is no price for ${req.symbol}; give underlyingPrice.`,
    );
  }
  const resolved = await resolveLegs(req, market, expirations.expirations, now, spot);
  const legs = resolved.map((r) => r.leg);
  const scenario: Scenario = { spot, rate: RATE, ivShift: req.ivShift };
  const analysis = analyze(legs, scenario);

  const optionExpirations = resolved.flatMap((r) => r.expiration ? [r.expiration] : []).sort();
  const expiryDate = optionExpirations[0] ?? now.date;
  const lastDate = optionExpirations.at(-1) ?? now.date;
  const dates = [...new Set(req.dates ?? defaultDates(now.date, expiryDate))].sort();
  for (const [i, d] of dates.entries()) {
    if (d < now.date || d > lastDate) {
      throw problem(
        400,
        "date_out_of_range",
        `Dates must fall between ${now.date} and the last expiration, ${lastDate}.`,
        ["dates", i],
      );
    }
  }
  const horizonOf = (date: string) =>
    Math.max(0, (nyInstant(date, EXPIRY_SECONDS) - nowMs) / YEAR_MS);
  const series = [
    { label: "now", date: now.date, horizon: 0 },
    ...dates.map((date) => ({ label: date, date, horizon: horizonOf(date) })),
    { label: "expiry", date: expiryDate, horizon: analysis.expiry },
  ];
  const prices = priceGrid(legs, spot, req.priceRange);
  const curves = pnlCurves(legs, prices, series.map((s) => s.horizon), scenario);

  // Table rows: evenly across the axis, with the spot itself in the middle row.
  const tablePrices = [
    ...new Set(Array.from({ length: TABLE_PRICES }, (_, i) => {
      const half = (TABLE_PRICES - 1) / 2;
      const lo = prices[0];
      const hi = prices.at(-1)!;
      return round(
        i <= half ? lo + (spot - lo) * i / half : spot + (hi - spot) * (i - half) / half,
      );
    })),
  ];
  const tableCurves = pnlCurves(legs, tablePrices, series.map((s) => s.horizon), scenario);

  const firstChain = optionExpirations.length
    ? await chainReader(market, req.symbol)(optionExpirations[0]).catch(() => null)
    : null;
  const money = (x: number | "unlimited") => x === "unlimited" ? x : round(x);
  return {
    symbol: req.symbol,
    asOf: expirations.timestamp,
    today: now.date,
    underlyingPrice: spot,
    underlyingSource: req.underlyingPrice === undefined ? quote.source : "given",
    rate: RATE,
    ivShift: req.ivShift,
    model: "black-scholes, no dividends, lognormal probability of profit",
    legs: resolved.map((r) => ({
      type: r.leg.type,
      side: r.leg.side,
      quantity: r.leg.quantity,
      premium: r.leg.premium,
      premiumSource: r.premiumSource,
      shares: legUnits(r.leg),
      ...(r.leg.type === "stock" ? {} : {
        strike: r.leg.strike,
        expiration: r.expiration,
        years: r.leg.years,
        iv: r.leg.iv,
        ivSource: r.ivSource,
        contract: r.contract,
      }),
    })),
    net: { amount: round(analysis.net.amount), kind: analysis.net.kind },
    expiration: expiryDate,
    breakevens: analysis.breakevens.map((b) => round(b)),
    maxProfit: money(analysis.maxProfit),
    maxLoss: money(analysis.maxLoss),
    probabilityOfProfit: round(analysis.probabilityOfProfit, 4),
    greeks: analysis.greeks,
    curves: {
      prices,
      series: series.map((s, i) => ({
        label: s.label,
        date: s.date,
        pnl: Array.from(curves[i], (v) => round(v)),
      })),
    },
    table: {
      prices: tablePrices,
      dates: series.map((s) => s.label === "now" ? "now" : s.date),
      pnl: tablePrices.map((_, r) => series.map((_, c) => round(tableCurves[c][r]))),
    },
    prices: quote.source,
    chain: firstChain ? chainLabel(firstChain) : chainLabel({ source: market.source }),
    source: quote.source,
  };
}

/** Templates, and with a symbol and expiration their legs on that chain. */
export async function templatesRequest(
  q: z.infer<typeof templatesQuery>,
  market: MarketData,
) {
  const list = TEMPLATES.map((t) => ({ id: t.id, label: t.label, description: t.description }));
  if (!q.symbol) return { templates: list };
  const expirations = await market.expirations(q.symbol);
  const expiration = q.expiration ?? expirations.expirations[0];
  if (!expiration || !expirations.expirations.includes(expiration)) {
    throw new HttpError(
      404,
      "not_on_chain",
      `No ${q.symbol} options expire on ${expiration ?? "any date"}.`,
      { expirations: expirations.expirations },
    );
  }
  const chain = await market.chain(q.symbol, expiration);
  const [quote] = await market.quotes([q.symbol]);
  const shape: ChainShape = {
    spot: quote.last ?? chain.underlyingPrice ?? 0,
    expiration,
    expirations: expirations.expirations,
    strikes: [...new Set(chain.options.map((o) => o.strike))],
  };
  return {
    symbol: q.symbol,
    expiration,
    underlyingPrice: shape.spot,
    templates: list.map((t, i) => {
      try {
        return { ...t, legs: TEMPLATES[i].build(shape) };
      } catch (err) {
        if (err instanceof TemplateError) return { ...t, legs: null, unavailable: err.message };
        throw err;
      }
    }),
    prices: quote.source,
    chain: chainLabel(chain),
  };
}
