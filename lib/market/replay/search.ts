/**
 * Symbol look-up in the shipped universe: search by ticker or name, and company facts.
 *
 * @module
 */
import type { CompanyInfo, SymbolMatch, SymbolSearch } from "../types.ts";
import type { ReplayContext } from "./context.ts";
import { normalizeSymbol, type SymbolInfo } from "./history.ts";
import { stampOf } from "./session.ts";

/** Matches returned at most. */
const MAX_MATCHES = 25;

/**
 * How well `i` matches the upper-cased query (lower is better, -1 no match): the exact symbol,
 * a symbol prefix, a name prefix, a word of the name, anywhere in the name.
 */
function score(i: SymbolInfo, q: string, symbol: string): number {
  const name = i.name.toUpperCase();
  if (i.symbol === symbol) return 0;
  if (i.symbol.startsWith(q)) return 1;
  if (name.startsWith(q)) return 2;
  if (name.split(/[^A-Z0-9]+/).some((w) => w.startsWith(q))) return 3;
  return name.includes(q) ? 4 : -1;
}

/** Shipped symbols matching `query`, best first. */
export async function replaySearch(ctx: ReplayContext, query: string): Promise<SymbolSearch> {
  const pos = await ctx.position();
  const q = query.trim().toUpperCase();
  const symbol = normalizeSymbol(q);
  const scored: { score: number; m: SymbolMatch }[] = [];
  if (q) {
    for (const i of ctx.history.list()) {
      const s = score(i, q, symbol);
      if (s >= 0) {
        scored.push({
          score: s,
          m: { symbol: i.symbol, name: i.name, exchange: null, type: i.type },
        });
      }
    }
  }
  scored.sort((a, b) => a.score - b.score || a.m.symbol.localeCompare(b.m.symbol));
  return {
    query,
    matches: scored.slice(0, MAX_MATCHES).map((s) => s.m),
    source: "replay",
    timestamp: stampOf(pos),
  };
}

/** Name, sector and industry of a shipped symbol. */
export async function replayCompany(ctx: ReplayContext, symbol: string): Promise<CompanyInfo> {
  const pos = await ctx.position();
  const i = ctx.info(symbol);
  return {
    symbol: i.symbol,
    name: i.name,
    exchange: null,
    sector: i.sector,
    industry: i.industry,
    source: "replay",
    timestamp: stampOf(pos),
  };
}
