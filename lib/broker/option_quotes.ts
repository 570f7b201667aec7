/**
 * Option contracts' quotes from the market data's chains, for the paper broker's fills and
 * marks and for every option preview: one chain read per (underlying, expiration), each contract
 * found by its OCC symbol. A contract the chain no longer lists (it expired, or was never
 * listed) has no quote: an order on it cannot be priced, and a position in it is valued at cost
 * until expiry settles it.
 *
 * @module
 */
import type { MarketData, OptionChain, Quote } from "../market/types.ts";
import { parseOcc } from "../options/occ.ts";
import { underlyingOf } from "../options/underlying.ts";
import { optionMark } from "../options/fills.ts";
import type { ChainLabel, PositionGreeks } from "./types.ts";

/** A contract's quote: the chain's bid and ask, the mark they give, and the Greeks. */
export interface OptionQuote extends Quote {
  /** The middle of bid and ask (or the one side there is). */
  mark: number | null;
  greeks: PositionGreeks | null;
  chain: ChainLabel;
  underlying: string;
  /** The underlying's price the chain was priced against. */
  underlyingPrice: number | null;
}

export function isOptionQuote(q: Quote): q is OptionQuote {
  return "mark" in q && "chain" in q;
}

export function chainLabel(source: OptionChain["source"]): ChainLabel {
  return source === "replay" ? "replay-model" : source;
}

/** Quotes of the OCC `symbols` that a chain lists; the others are left out. */
export async function optionQuotes(
  market: MarketData,
  symbols: string[],
): Promise<Map<string, OptionQuote>> {
  const groups = new Map<string, { underlying: string; expiration: string; symbols: string[] }>();
  for (const s of symbols) {
    const c = parseOcc(s);
    if (!c) continue;
    const underlying = underlyingOf(c.underlying);
    const key = `${underlying} ${c.expiration}`;
    const g = groups.get(key) ?? { underlying, expiration: c.expiration, symbols: [] };
    g.symbols.push(c.symbol);
    groups.set(key, g);
  }
  const out = new Map<string, OptionQuote>();
  await Promise.all([...groups.values()].map(async (g) => {
    let chain: OptionChain;
    try {
      chain = await market.chain(g.underlying, g.expiration);
    } catch {
      // Not listed (expired, or never was): no quote, which every caller handles.
      return;
    }
    for (const s of g.symbols) {
      const q = contractQuote(chain, s);
      if (q) out.set(s, q);
    }
  }));
  return out;
}

/** The quote of contract `symbol` in `chain`, or null when the chain does not list it. */
export function contractQuote(chain: OptionChain, symbol: string): OptionQuote | null {
  const c = chain.options.find((o) => o.symbol === symbol);
  if (!c) return null;
  const g = c.greeks;
  return {
    symbol: c.symbol,
    description: `${c.underlying} ${c.expiration} ${c.strike} ${c.type}`,
    last: c.last,
    bid: c.bid,
    ask: c.ask,
    bidSize: null,
    askSize: null,
    change: null,
    changePercent: null,
    volume: c.volume,
    open: null,
    high: null,
    low: null,
    prevClose: null,
    timestamp: chain.timestamp,
    source: chain.source,
    ...(chain.stale ? { stale: true } : {}),
    mark: optionMark({ symbol: c.symbol, bid: c.bid, ask: c.ask }),
    greeks: g ? { delta: g.delta, gamma: g.gamma, theta: g.theta, vega: g.vega, iv: g.iv } : null,
    chain: chainLabel(chain.source),
    underlying: chain.symbol,
    underlyingPrice: chain.underlyingPrice,
  };
}
