/**
 * The offline analyst's answers: for each intent, which tools to call and the sentences that
 * report their results. Every figure printed here is a field of a tool result, formatted and
 * never computed (the grounding check holds the offline analyst to the same rule as Claude).
 */
// deno-lint-ignore-file no-explicit-any
import { formatMarketTime, marketDate } from "../../shared/format_time.ts";
import type { Intent } from "./intents.ts";

/** A tool to call: its name and input. */
export type Plan = [name: string, input: Record<string, unknown>][];

const usd = (n: number | null | undefined) =>
  n === null || n === undefined
    ? "n/a"
    : `${n < 0 ? "-" : ""}$${
      Math.abs(n).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })
    }`;
const pct = (
  n: number | null | undefined,
) => (n === null || n === undefined ? "n/a" : `${n.toFixed(2)}%`);
const num = (
  n: number | null | undefined,
  d = 2,
) => (n === null || n === undefined ? "n/a" : n.toFixed(d));
const shares = (n: number) =>
  `${Math.abs(n).toLocaleString("en-US")} share${Math.abs(n) === 1 ? "" : "s"}`;
const dir = (
  n: number | null | undefined,
) => (n === null || n === undefined || n === 0 ? "unchanged" : n > 0 ? "up" : "down");

/** "(replay of 2020-03-02; intraday prices simulated)" when the data is replayed history. */
function replayNote(data: any, source?: string): string {
  if (source !== "replay") return "";
  return data?.replayDate
    ? ` These are replayed prices of ${data.replayDate} (intraday moves simulated), not live.`
    : " These are replayed prices, not live.";
}

export function plan(intent: Intent): Plan {
  switch (intent.kind) {
    case "price":
      return [["quote", { symbol: intent.symbol }]];
    case "position":
      return [["positions", { symbol: intent.symbol }], ["quote", { symbol: intent.symbol }]];
    case "portfolio":
      return [["portfolio", {}]];
    case "preview":
      return [["order_preview", {
        symbol: intent.symbol,
        side: intent.side,
        shares: intent.shares,
      }]];
    case "indicators":
      return [["indicators", { symbol: intent.symbol }]];
    case "compare":
      return [["quotes", { symbols: intent.symbols }], ["indicators", {
        symbol: intent.symbols[0],
      }], [
        "indicators",
        { symbol: intent.symbols[1] },
      ]];
    case "movers":
      return [["movers", { count: 5 }]];
    case "clock":
      return [["market_clock", {}]];
    case "help":
      return [];
  }
}

export interface Result {
  ok: boolean;
  output?: any;
  error?: string;
  source?: string;
}

export const HELP =
  "I'm the offline analyst: I answer from PaiiD's own data with fixed rules, without a " +
  'language model. I can tell you a symbol\'s price and move ("price of AAPL"), your position ' +
  'in a symbol ("my MSFT position"), how your portfolio is doing, what an order would meet ' +
  'before you place it ("can I buy 100 AAPL?"), a symbol\'s indicators and what they mean ' +
  '(RSI, SMA/EMA, MACD, volatility), a comparison of two symbols ("compare AAPL and MSFT"), ' +
  "what moved most today, and whether the market is open. For open questions, set " +
  "ANTHROPIC_API_KEY and restart PaiiD to use Claude.";

/** The answer for `intent` from its tools' results (in `plan` order). */
export function compose(intent: Intent, results: Result[]): string {
  const failed = results.find((r) => !r.ok);
  if (failed) return `I could not get that: ${failed.error}`;
  const [a, b, c] = results.map((r) => r.output);
  const src = results[0]?.source;
  switch (intent.kind) {
    case "help":
      return intent.reason === "no_symbol"
        ? "Which symbol do you mean? Name a ticker such as AAPL, or ask from a symbol's page."
        : HELP;
    case "price":
      return `${a.symbol}${a.name ? ` (${a.name})` : ""} last traded at ${usd(a.last)}, ` +
        `${dir(a.change)} ${usd(Math.abs(a.change ?? 0))} (${
          pct(Math.abs(a.changePercent ?? 0))
        }) ` +
        `from the previous close of ${usd(a.prevClose)}. Bid ${usd(a.bid)}, ask ${usd(a.ask)}; ` +
        `day range ${usd(a.low)} to ${usd(a.high)}.` + replayNote(a, src);
    case "position": {
      const p = a.positions[0];
      if (!p) {
        return `You hold no ${intent.symbol}. It last traded at ${usd(b.last)}.` +
          replayNote(b, results[1].source);
      }
      return `You are ${p.side} ${shares(p.shares)} of ${p.symbol} at an average ` +
        `${usd(p.avgEntryPrice)} (cost ${usd(Math.abs(p.costBasis))}). At ${usd(p.currentPrice)} ` +
        `the position is worth ${usd(p.marketValue)}: unrealized P&L ${usd(p.unrealizedPl)} ` +
        `(${pct(p.unrealizedPlPercent)}), and today it moved ${pct(p.changeTodayPercent)}.` +
        replayNote(b, results[1].source);
    }
    case "portfolio": {
      const lines = [
        a.positions === 0
          ? `Your ${a.broker} account is worth ${usd(a.equity)}, all of it cash: no open positions.`
          : `Your ${a.broker} account is worth ${usd(a.equity)}: ${usd(a.cash)} in cash and ` +
            `${usd(a.longMarketValue)} in ${a.positions} position${a.positions === 1 ? "" : "s"}.`,
        `Today: ${usd(a.dayPl)} (${pct(a.dayPlPercent)}). Unrealized P&L ${usd(a.unrealizedPl)}` +
        (a.realizedPl === null ? "." : `, realized ${usd(a.realizedPl)}.`),
      ];
      if (a.startingCash) {
        lines.push(`Since it opened with ${usd(a.startingCash)}: ${pct(a.totalReturnPercent)}.`);
      }
      if (a.biggestWinner) {
        lines.push(
          `Best position: ${a.biggestWinner.symbol} at ${usd(a.biggestWinner.unrealizedPl)}` +
            (a.biggestLoser
              ? `; weakest: ${a.biggestLoser.symbol} at ${usd(a.biggestLoser.unrealizedPl)}.`
              : "."),
        );
      }
      return lines.join(" ") +
        (src === "replay" ? " Positions are marked at replayed prices." : "");
    }
    case "preview": {
      const verdict = a.refused
        ? "would be refused"
        : a.checks.some((x: any) => x.result === "warning")
        ? "would go through with warnings"
        : "would pass every pre-trade check";
      const head =
        `${a.side === "buy" ? "Buying" : "Selling"} ${shares(a.shares)} of ${a.symbol} ` +
        `at about ${usd(a.estimatedPrice)} (${usd(a.estimatedCost)}) ${verdict}. Buying power ` +
        `${usd(a.buyingPower)} before, ${usd(a.buyingPowerAfter)} after.`;
      const notes = a.checks.filter((x: any) => x.result !== "passed")
        .map((x: any) =>
          `${x.result === "refused" ? "Refused" : "Warning"} (${x.rule}): ${x.message}`
        );
      return [head, ...notes].join(" ") +
        (a.marketOpen ? "" : " The market is closed, so a market order would wait for the open.") +
        " Nothing was placed: orders go through the Execute Trade ticket.";
    }
    case "indicators":
      return indicatorText(a, intent.focus) + replayNote(a, src);
    case "compare": {
      const [x, y] = a;
      const line = (q: any, ind: any) =>
        `${q.symbol} ${usd(q.last)} (${dir(q.changePercent)} ${
          pct(Math.abs(q.changePercent ?? 0))
        } today, ` +
        `RSI ${num(ind.rsi14, 1)}, 20-day volatility ${pct(ind.volatility20dPercent)})`;
      return `${line(x, b)} against ${line(y, c)}.` + replayNote(x, src);
    }
    case "movers": {
      const list = (xs: any[]) => xs.map((q) => `${q.symbol} ${pct(q.changePercent)}`).join(", ");
      return `Across the ${a.universe} stocks of the shipped universe, the biggest gainers today ` +
        `are ${list(a.gainers)}; the biggest losers ${list(a.losers)}.` + replayNote(a, src);
    }
    case "clock": {
      const state: Record<string, string> = {
        open: "open",
        premarket: "in pre-market trading",
        postmarket: "in after-hours trading",
        closed: "closed",
      };
      const at = (iso: string) =>
        `${marketDate(iso)} ${formatMarketTime(iso).slice(0, 5)} New York time`;
      return `The market is ${state[a.state] ?? a.state} (exchange date ${a.date}).` +
        (a.nextClose && a.state === "open" ? ` It closes ${at(a.nextClose)}.` : "") +
        (a.nextOpen && a.state !== "open" ? ` It next opens ${at(a.nextOpen)}.` : "") +
        (src === "replay" ? " This is the replay's clock, running over historical days." : "");
    }
  }
}

function indicatorText(d: any, focus: string): string {
  const parts: string[] = [];
  const close = `${d.symbol} closed at ${usd(d.lastClose)} on ${d.lastCloseDate}`;
  if (focus === "rsi" || focus === "all") {
    const zone = d.rsi14 === null
      ? ""
      : d.rsi14 >= 70
      ? ": overbought by the usual reading (above 70), often a sign the run is stretched"
      : d.rsi14 <= 30
      ? ": oversold by the usual reading (below 30), often after a sharp fall"
      : ": between the oversold and overbought lines (30 and 70), no extreme";
    parts.push(`RSI(14) is ${num(d.rsi14, 1)}${zone}.`);
  }
  if (focus === "sma" || focus === "all") {
    const vs = (avg: number | null, label: string) =>
      avg === null ? "" : ` ${d.lastClose >= avg ? "above" : "below"} its ${label} (${usd(avg)})`;
    parts.push(
      `The last close is${vs(d.sma20, "20-day average")},${vs(d.sma50, "50-day")}` +
        (d.sma200 === null ? "" : ` and${vs(d.sma200, "200-day")}`) +
        `. Price above its longer averages is the usual sign of an uptrend.`,
    );
  }
  if (focus === "ema" || focus === "all") {
    parts.push(
      `EMA 12 is ${usd(d.ema12)} and EMA 26 is ${usd(d.ema26)}: the short one ` +
        `${d.ema12 >= d.ema26 ? "above" : "below"} the long one.`,
    );
  }
  if (focus === "macd" || focus === "all") {
    parts.push(
      `MACD(12,26,9): line ${num(d.macdLine, 3)}, signal ${num(d.macdSignal, 3)}, histogram ` +
        `${num(d.macdHistogram, 3)} — ${
          d.macdHistogram >= 0
            ? "momentum is positive (line above signal)"
            : "momentum is negative (line below signal)"
        }.`,
    );
  }
  if (focus === "volatility" || focus === "all") {
    parts.push(
      `Its 20-day volatility is ${pct(d.volatility20dPercent)} a year, the typical size of its ` +
        `moves annualized.`,
    );
  }
  return `${close}. ${parts.join(" ")}`;
}
