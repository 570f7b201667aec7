/**
 * What the offline analyst understands: a message (and the page it was asked on) becomes one
 * intent with its symbols and, for an order question, the order. Plain rules, in the order
 * below; the first that matches wins. Anything else is `help`.
 */
import { History } from "../../market/replay/history.ts";
import type { TurnContext } from "../types.ts";

export type Intent =
  | { kind: "preview"; symbol: string; side: "buy" | "sell"; shares: number }
  | { kind: "movers" }
  | { kind: "clock" }
  | { kind: "compare"; symbols: [string, string] }
  | {
    kind: "indicators";
    symbol: string;
    focus: "rsi" | "sma" | "ema" | "macd" | "volatility" | "all";
  }
  | { kind: "position"; symbol: string }
  | { kind: "portfolio" }
  | { kind: "price"; symbol: string }
  | { kind: "help"; reason: "unknown" | "no_symbol" };

/** Capitalised words that are not tickers even when a ticker has the same letters. */
const NOT_TICKERS = new Set([
  "I",
  "A",
  "AI",
  "OK",
  "US",
  "USA",
  "USD",
  "PL",
  "PNL",
  "RSI",
  "SMA",
  "EMA",
  "MACD",
  "ATR",
  "IS",
  "IT",
  "AT",
  "ON",
  "IN",
  "OF",
  "TO",
  "THE",
  "AND",
  "OR",
  "VS",
  "HOW",
  "WHAT",
  "MY",
  "ME",
  "BUY",
  "SELL",
  "CAN",
  "DO",
  "DOES",
  "NOW",
  "TODAY",
  "ETF",
  "CEO",
  "EPS",
  "IPO",
  "PM",
  "AM",
]);

interface Universe {
  symbols: Set<string>;
  /** First word of a company name (lower case) → its symbol, for names used by one company. */
  names: Map<string, string>;
}

let universe: Universe | undefined;
function shipped(): Universe {
  if (universe) return universe;
  const list = new History().list();
  const counts = new Map<string, number>();
  const first = (name: string) => name.toLowerCase().split(/[^a-z0-9&]+/)[0];
  for (const s of list) counts.set(first(s.name), (counts.get(first(s.name)) ?? 0) + 1);
  const names = new Map<string, string>();
  for (const s of list) {
    const w = first(s.name);
    if (w.length >= 3 && counts.get(w) === 1) names.set(w, s.symbol);
  }
  universe = { symbols: new Set(list.map((s) => s.symbol)), names };
  return universe;
}

/** Symbols named in `message`, in order: tickers (any case when shipped) and company names. */
export function symbolsIn(message: string): string[] {
  const { symbols, names } = shipped();
  const found: string[] = [];
  const add = (s: string) => {
    if (!found.includes(s)) found.push(s);
  };
  for (const m of message.matchAll(/\$?\b([A-Za-z]{1,5}(?:\.[A-Za-z])?)\b/g)) {
    const word = m[1];
    const upper = word.toUpperCase();
    if (NOT_TICKERS.has(upper) && !m[0].startsWith("$")) continue;
    if (symbols.has(upper) && (word === upper || word.length >= 3 || m[0].startsWith("$"))) {
      add(upper);
    } else if (word === upper && word.length >= 2 && m[0].startsWith("$")) add(upper);
    else if (names.has(word.toLowerCase())) add(names.get(word.toLowerCase())!);
  }
  for (const m of message.toLowerCase().matchAll(/[a-z&]{4,}/g)) {
    if (names.has(m[0])) add(names.get(m[0])!);
  }
  return found;
}

const has = (text: string, re: RegExp) => re.test(text);

export function detectIntent(message: string, context: TurnContext = {}): Intent {
  const text = message.toLowerCase();
  const named = symbolsIn(message);
  const symbol = named[0] ?? context.symbol;

  const order =
    /\b(buy|sell|short)\s+(\d+(?:\.\d+)?)\s*(?:shares?\s+(?:of\s+)?)?\$?([A-Za-z]{1,5})?/i
      .exec(message);
  if (order && has(text, /\b(can i|could i|what if|preview|would|should i|if i)\b|\?/)) {
    const target = order[3] && symbolsIn(order[3])[0] || symbol;
    if (!target) return { kind: "help", reason: "no_symbol" };
    return {
      kind: "preview",
      symbol: target,
      side: order[1].toLowerCase() === "buy" ? "buy" : "sell",
      shares: Number(order[2]),
    };
  }
  if (has(text, /\b(mover|movers|moved most|gainers?|losers?|top (?:\d+ )?(?:stocks|moves))\b/)) {
    return { kind: "movers" };
  }
  if (
    has(text, /\b(market (?:open|closed|hours|clock)|is the market|when does the market|clock)\b/)
  ) {
    return { kind: "clock" };
  }
  if (named.length >= 2 && has(text, /\b(compare|vs\.?|versus|against|or)\b/)) {
    return { kind: "compare", symbols: [named[0], named[1]] };
  }
  const focus = has(text, /\brsi\b/)
    ? "rsi"
    : has(text, /\bmacd\b/)
    ? "macd"
    : has(text, /\b(sma|moving average)/)
    ? "sma"
    : has(text, /\bema\b/)
    ? "ema"
    : has(text, /\b(volatility|volatile)\b/)
    ? "volatility"
    : has(text, /\b(indicators?|technicals?|technical analysis|overbought|oversold|trend)\b/)
    ? "all"
    : null;
  if (focus) {
    return symbol ? { kind: "indicators", symbol, focus } : { kind: "help", reason: "no_symbol" };
  }
  if (has(text, /\b(my|position|holding|i hold|i own|p&l|pnl|profit|loss)\b/) && named.length) {
    return { kind: "position", symbol: named[0] };
  }
  if (
    has(
      text,
      /\b(portfolio|account|equity|buying power|cash|how am i doing|my positions|holdings)\b/,
    )
  ) {
    return { kind: "portfolio" };
  }
  if (has(text, /\b(position|holding|p&l|pnl)\b/) && symbol) return { kind: "position", symbol };
  if (
    symbol &&
    (named.length || has(text, /\b(price|quote|trading|doing|move|moving|up|down|worth|cost)\b/))
  ) {
    return { kind: "price", symbol };
  }
  return { kind: "help", reason: "unknown" };
}
