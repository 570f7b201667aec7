/**
 * What the radial centre shows: which indices each market-data source can quote, and the words
 * and colour for the market's state.
 */
import type { MarketSource, MarketState } from "../market/types.ts";

export interface IndexInfo {
  symbol: string;
  label: string;
}

/**
 * Replay ships only the S&P 500 and VIX histories; Tradier quotes the three headline indices.
 * Symbols are Tradier's spelling, which the replay uses too.
 */
export const INDICES: Record<MarketSource, IndexInfo[]> = {
  replay: [{ symbol: "SPX", label: "S&P 500" }, { symbol: "VIX", label: "VIX" }],
  tradier: [
    { symbol: "DJI", label: "Dow" },
    { symbol: "COMP", label: "Nasdaq" },
    { symbol: "SPX", label: "S&P 500" },
  ],
};

export const STATUS_LABEL: Record<MarketState, string> = {
  open: "Market open",
  premarket: "Pre-market",
  postmarket: "After hours",
  closed: "Market closed",
};

/** Short form for the small wheel. */
export const STATUS_SHORT: Record<MarketState, string> = {
  open: "Open",
  premarket: "Pre-mkt",
  postmarket: "After hrs",
  closed: "Closed",
};
