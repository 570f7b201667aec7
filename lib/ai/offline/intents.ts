/**
 * What the offline analyst understands: one intent per message, read from its words, the
 * tickers it names and the screen the user is on. Plain patterns, so the same message always
 * gets the same answer.
 */
import type { TurnContext } from "../types.ts";

export type Intent =
  | { kind: "clock" }
  | { kind: "movers" }
  | { kind: "portfolio" }
  | { kind: "position"; symbol: string }
  | { kind: "preview"; symbol: string; side: "buy" | "sell"; qty: number }
  | { kind: "indicators"; symbol: string }
  | { kind: "compare"; symbols: [string, string] }
  | { kind: "price"; symbol: string }
  | { kind: "help" };

// Upper-case words that are not tickers in a question about markets.
const NOT_TICKERS = new Set([
  "I",
  "A",
  "AM",
  "AN",
  "AND",
  "OR",
  "IS",
  "IT",
  "MY",
  "ME",
  "OK",
  "PL",
  "P",
  "L",
  "RSI",
  "SMA",
  "EMA",
  "MACD",
  "USD",
  "ETF",
  "AI",
  "US",
  "VS",
  "PNL",
  "CEO",
  "IPO",
  "HOW",
  "WHAT",
  "THE",
  "TODAY",
]);

/** Ticker-looking words of the message, in order, without repeats ("$AAPL" and "AAPL" alike). */
export function tickers(message: string): string[] {
  const out: string[] = [];
  for (const m of message.matchAll(/(?<![\w.$])\$?([A-Z]{1,5}(?:\.[A-Z])?)(?![\w.])/g)) {
    if (!NOT_TICKERS.has(m[1]) && !out.includes(m[1])) out.push(m[1]);
  }
  return out;
}

export function detectIntent(message: string, context: TurnContext = {}): Intent {
  const text = message.toLowerCase();
  const named = tickers(message);
  const symbol = named[0] ?? context.symbol?.toUpperCase();

  const trade = text.match(
    /\b(buy|sell)\s+(\d+(?:\.\d+)?)\s*(?:shares?\s+(?:of\s+)?)?\$?([a-z]{1,5})?/,
  );
  if (trade && (symbol || trade[3])) {
    const sym = named[0] ?? trade[3]?.toUpperCase() ?? symbol!;
    return {
      kind: "preview",
      side: trade[1] as "buy" | "sell",
      qty: Number(trade[2]),
      symbol: sym,
    };
  }
  if (
    /\b(market (open|closed|hours|clock)|is the market|market open|when does the market|clock)\b/
      .test(text)
  ) {
    return { kind: "clock" };
  }
  if (/\b(movers?|moved (the )?most|gainers?|losers?|biggest (move|gain|loss))/.test(text)) {
    return { kind: "movers" };
  }
  if (named.length >= 2 && /\b(compare|vs\.?|versus|or|better|against)\b/.test(text)) {
    return { kind: "compare", symbols: [named[0], named[1]] };
  }
  if (
    symbol &&
    /\b(rsi|sma|ema|macd|volatil\w*|moving average|indicators?|overbought|oversold|momentum)\b/
      .test(text)
  ) {
    return { kind: "indicators", symbol };
  }
  if (named[0] && /\b(position|p&l|pnl|profit|loss|holding|my)\b/.test(text)) {
    return { kind: "position", symbol: named[0] };
  }
  if (/\b(portfolio|account|equity|how am i doing|my p&l|buying power|cash)\b/.test(text)) {
    return { kind: "portfolio" };
  }
  if (
    symbol && (named.length > 0 || /\b(price|quote|trading|doing|move|moving|up|down)\b/.test(text))
  ) {
    return { kind: "price", symbol };
  }
  return { kind: "help" };
}
