/**
 * The offline analyst's sentences, filled only with tool results: every figure below is a value
 * a tool returned (rounded for reading), so the grounding checker can trace each one back.
 */
// deno-lint-ignore-file no-explicit-any
type Data = any;

const money = (n: number) =>
  `$${Math.abs(n).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const num = (n: number, d = 2) => Math.abs(n).toFixed(d);
/** A fraction (0.0082) as a percentage (0.82 %). */
const pctOfFraction = (f: number) => `${(Math.abs(f) * 100).toFixed(2)} %`;
const upDown = (n: number | null) => (n === null ? "unchanged" : n >= 0 ? "up" : "down");

export function sourceLine(source: string | undefined): string {
  return source === "replay"
    ? "Offline analyst, on replayed market data (past trading days; the intraday path is simulated). "
    : `Offline analyst, on ${source ?? "the app's"} data. `;
}

export function priceText(q: Data): string {
  if (q.last === null) return `${q.symbol} has no last price right now.`;
  const move = q.change === null
    ? ""
    : `, ${upDown(q.change)} ${money(q.change)} (${
      num(q.changePercent ?? 0)
    } %) from the previous close of ${money(q.prevClose ?? 0)}`;
  const range = q.low !== null && q.high !== null
    ? ` Today's range is ${money(q.low)} to ${money(q.high)}.`
    : "";
  return `${q.symbol}${q.name ? ` (${q.name})` : ""} last traded at ${
    money(q.last)
  }${move}.${range}`;
}

export function compareText(qs: Data[]): string {
  const [a, b] = qs;
  const lines = qs.map(priceText).join(" ");
  if (a?.changePercent == null || b?.changePercent == null) return lines;
  const [lead, lag] = a.changePercent >= b.changePercent ? [a, b] : [b, a];
  return `${lines} Today ${lead.symbol} is doing better than ${lag.symbol}.`;
}

export function positionText(p: Data): string {
  const pl = p.unrealizedPl === null
    ? "Its unrealized P&L is not known right now."
    : `Its unrealized P&L is ${p.unrealizedPl >= 0 ? "a gain" : "a loss"} of ${
      money(p.unrealizedPl)
    }${p.unrealizedPlPercent === null ? "" : ` (${pctOfFraction(p.unrealizedPlPercent)})`}.`;
  const day = p.dayPl === null
    ? ""
    : ` Today it ${p.dayPl >= 0 ? "made" : "lost"} ${money(p.dayPl)}.`;
  const value = p.currentPrice === null
    ? ""
    : ` at ${money(p.currentPrice)}, worth ${money(p.marketValue ?? 0)}`;
  return `You are ${p.side} ${num(p.qty, 0)} ${p.symbol} shares bought at an average ${
    money(p.avgEntryPrice)
  }${value}. ${pl}${day}`;
}

export function portfolioText(a: Data): string {
  const day = a.dayPlPercent === null
    ? `${money(a.dayPl)}`
    : `${money(a.dayPl)} (${pctOfFraction(a.dayPlPercent)})`;
  return `Your account is worth ${money(a.equity)}: ${money(a.cash)} in cash and ${a.positions} ` +
    `open position${a.positions === 1 ? "" : "s"}. Today it is ${upDown(a.dayPl)} ${day}. ` +
    `Unrealized P&L is ${money(a.unrealizedPl)}${a.unrealizedPl < 0 ? " (a loss)" : ""}` +
    (a.realizedPl === null
      ? "."
      : `, realized P&L ${money(a.realizedPl)}${a.realizedPl < 0 ? " (a loss)" : ""}.`) +
    ` Buying power: ${money(a.buyingPower)}.`;
}

export function previewText(p: Data): string {
  const head = `A ${p.type} ${p.side} of ${num(p.qty, 0)} ${p.symbol} would fill near ${
    money(p.estimatedPrice)
  }, about ${money(p.estimatedCost)} in all; your buying power would go from ${
    money(p.buyingPower)
  } to ${money(p.buyingPowerAfter)}${p.buyingPowerAfter < 0 ? " (below zero)" : ""}.`;
  const refused = p.checks.filter((c: Data) => !c.ok && c.severity === "refuse");
  const warned = p.checks.filter((c: Data) => !c.ok && c.severity === "warn");
  const verdict = refused.length
    ? ` It would be refused: ${refused.map((c: Data) => c.message).join(" ")}`
    : " It passes every pre-trade check.";
  const warnings = warned.length ? ` Note: ${warned.map((c: Data) => c.message).join(" ")}` : "";
  return `${head}${verdict}${warnings} Nothing was placed: orders are placed by you on the trade screen.`;
}

export function indicatorsText(symbol: string, d: Data): string {
  const i = d.indicators;
  const close = d.bars.at(-1)?.close;
  const parts: string[] = [];
  if (i.rsi14 !== null) {
    const reading = i.rsi14 >= d.rsiBands.overbought
      ? `at or above ${d.rsiBands.overbought}, the usual overbought line`
      : i.rsi14 <= d.rsiBands.oversold
      ? `at or below ${d.rsiBands.oversold}, the usual oversold line`
      : `between ${d.rsiBands.oversold} and ${d.rsiBands.overbought}, neither overbought nor oversold`;
    parts.push(`RSI(14) is ${num(i.rsi14)}: ${reading}.`);
  }
  if (close !== undefined && i.sma20 !== null && i.sma50 !== null) {
    parts.push(
      `The last close, ${money(close)}, is ${
        close >= i.sma20 ? "above" : "below"
      } the 20-day SMA ` +
        `(${money(i.sma20)}) and ${close >= i.sma50 ? "above" : "below"} the 50-day SMA (${
          money(i.sma50)
        }).`,
    );
  }
  if (i.ema12 !== null && i.ema26 !== null) {
    parts.push(`EMA(12) is ${money(i.ema12)} against EMA(26) at ${money(i.ema26)}.`);
  }
  if (i.macd !== null && i.macdSignal !== null) {
    parts.push(
      `MACD is ${i.macd < 0 ? "negative, " : ""}${num(i.macd)} against its signal line at ${
        i.macdSignal < 0 ? "negative " : ""
      }${num(i.macdSignal)}: momentum is ${
        i.macd >= i.macdSignal ? "turning up" : "turning down"
      }.`,
    );
  }
  if (i.volatility20 !== null) {
    parts.push(
      `Annualised 20-day volatility is ${pctOfFraction(i.volatility20)}: how much the price has ` +
        `been swinging lately, not which way it will go.`,
    );
  }
  return `${symbol}, daily bars: ${parts.join(" ") || "not enough history for the indicators."}`;
}

export function moversText(d: Data): string {
  const line = (q: Data) =>
    `${q.symbol} ${upDown(q.changePercent)} ${num(q.changePercent ?? 0)} % at ${
      money(q.last ?? 0)
    }`;
  return `Of ${d.scanned} symbols, the biggest gainers today: ${
    d.gainers.slice(0, 3).map(line).join("; ")
  }. ` +
    `The biggest losers: ${d.losers.slice(0, 3).map(line).join("; ")}.`;
}

export function clockText(c: Data): string {
  const next = c.state === "open"
    ? c.nextClose ? ` It closes at ${c.nextClose}.` : ""
    : c.nextOpen
    ? ` It opens next at ${c.nextOpen}.`
    : "";
  return `The market is ${c.state === "open" ? "open" : c.state} (trading day ${c.date}).${next}`;
}

export const HELP_TEXT =
  "I am the offline analyst: I answer from the app's own data with fixed templates, without a " +
  'language model. I can tell you a symbol\'s price and move ("how is AAPL doing?"), your ' +
  'portfolio or a position\'s P&L, what an order preview says ("can I buy 5 AAPL?"), the ' +
  "RSI, moving averages, MACD and volatility of a symbol, compare two symbols, what moved most " +
  "today, and whether the market is open. For open questions, set ANTHROPIC_API_KEY to enable " +
  "Claude as the analyst.";

export function failedText(error: string | undefined): string {
  return `I could not get that: ${error ?? "the data is not available right now."}`;
}
