/**
 * Exposure of the holdings: by symbol, by GICS sector, and the gross (Σ|v|) and net (Σv) totals,
 * in USD and as a percentage of equity. Values are signed: a short position counts negative.
 *
 * @module
 */

export interface Holding {
  symbol: string;
  /** Signed shares (negative = short). */
  qty: number;
  /** Price the holding is valued at, USD. */
  price: number;
  /** GICS sector from the market data's company facts; null when it gives none. */
  sector: string | null;
}

export interface SymbolExposure {
  symbol: string;
  sector: string;
  qty: number;
  price: number;
  /** `qty × price`, USD, signed. */
  value: number;
  /** `value / equity × 100`, signed. */
  percentOfEquity: number | null;
}

export interface SectorExposure {
  sector: string;
  symbols: string[];
  long: number;
  short: number;
  net: number;
  gross: number;
  netPercent: number | null;
  grossPercent: number | null;
}

export interface Exposure {
  bySymbol: SymbolExposure[];
  bySector: SectorExposure[];
  long: number;
  short: number;
  gross: number;
  net: number;
  grossPercent: number | null;
  netPercent: number | null;
}

export const UNCLASSIFIED = "Unclassified";

/** Rounds money to cents and percentages to 1/100 %, so the answer carries no float noise. */
export const cents = (n: number) => Math.round(n * 100) / 100;

export function exposure(holdings: readonly Holding[], equity: number): Exposure {
  const pct = (v: number) => (equity > 0 ? cents((v / equity) * 100) : null);
  const bySymbol = holdings.map((h) => {
    const value = h.qty * h.price;
    return {
      symbol: h.symbol,
      sector: h.sector ?? UNCLASSIFIED,
      qty: h.qty,
      price: h.price,
      value: cents(value),
      percentOfEquity: pct(value),
    };
  }).sort((a, b) => Math.abs(b.value) - Math.abs(a.value) || a.symbol.localeCompare(b.symbol));

  const sectors = new Map<string, SectorExposure>();
  let long = 0, short = 0;
  for (const s of bySymbol) {
    const e = sectors.get(s.sector) ?? {
      sector: s.sector,
      symbols: [],
      long: 0,
      short: 0,
      net: 0,
      gross: 0,
      netPercent: null,
      grossPercent: null,
    };
    e.symbols.push(s.symbol);
    if (s.value >= 0) e.long += s.value;
    else e.short += s.value;
    sectors.set(s.sector, e);
    if (s.value >= 0) long += s.value;
    else short += s.value;
  }
  const bySector = [...sectors.values()].map((e) => {
    const net = e.long + e.short, gross = e.long - e.short;
    return {
      ...e,
      long: cents(e.long),
      short: cents(e.short),
      net: cents(net),
      gross: cents(gross),
      netPercent: pct(net),
      grossPercent: pct(gross),
    };
  }).sort((a, b) => b.gross - a.gross || a.sector.localeCompare(b.sector));
  const gross = long - short, net = long + short;
  return {
    bySymbol,
    bySector,
    long: cents(long),
    short: cents(short),
    gross: cents(gross),
    net: cents(net),
    grossPercent: pct(gross),
    netPercent: pct(net),
  };
}
