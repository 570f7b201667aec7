/**
 * Any rule document as plain sentences ("Buy when SMA(20) crosses above SMA(50)."), for the
 * backtest page, the strategy builder and the analyst's answers.
 *
 * @module
 */
import type { Comparator, Condition, Num, Operand, Rules } from "./schema.ts";

function n(x: Num | undefined, fallback = ""): string {
  if (x === undefined) return fallback;
  return typeof x === "number" ? String(x) : `«${x.param}»`;
}

const OPS: Record<Comparator, string> = {
  ">": "is above",
  "<": "is below",
  ">=": "is at or above",
  "<=": "is at or below",
  crosses_above: "crosses above",
  crosses_below: "crosses below",
};

const ago = (b: number | undefined) => (b ? ` ${b} bar${b === 1 ? "" : "s"} ago` : "");

/** "3 bars ago", or "the 20 bars before" for a window read one bar back. */
function window(per: string, b: number | undefined): string {
  return b === 1 ? `the ${per} bars before` : `${per} bars${ago(b)}`;
}

const factor = (o: Operand) =>
  o.type === "const" || o.times === undefined || o.times === 1 ? "" : `${n(o.times)} × `;

export function describeOperand(o: Operand): string {
  return factor(o) + describeBase(o);
}

function describeBase(o: Operand): string {
  switch (o.type) {
    case "const":
      return n(o.value);
    case "price":
      return `the ${o.field}${ago(o.barsAgo)}`;
    case "indicator": {
      const input = o.input && o.input !== "close" ? ` of the ${o.input}` : "";
      const per = n(o.period);
      let s: string;
      switch (o.name) {
        case "macd": {
          const args = `${n(o.fast, "12")},${n(o.slow, "26")},${n(o.signal, "9")}`;
          const out = o.output === "signal"
            ? " signal"
            : o.output === "histogram"
            ? " histogram"
            : "";
          s = `MACD(${args})${out}`;
          break;
        }
        case "bollinger":
          s = `the ${o.output ?? "middle"} Bollinger band(${per || 20}, ${n(o.stdDevs, "2")})`;
          break;
        // A highest/lowest read one bar back is the window before the bar: say so.
        case "highest":
          return `the highest ${o.input ?? "high"} of ${window(per, o.barsAgo)}`;
        case "lowest":
          return `the lowest ${o.input ?? "low"} of ${window(per, o.barsAgo)}`;
        case "avg_volume":
          s = `the ${per}-bar average volume`;
          break;
        case "volume_ratio":
          s = `the volume as a multiple of its average over the ${n(o.period, "20")} bars before`;
          break;
        case "atr_pct":
          s = `ATR(${n(o.period, "14")}) as a % of the close`;
          break;
        case "gap_pct":
          s = "the opening gap (% from the previous close)";
          break;
        case "roc":
          s = `the ${per}-bar rate of change${input}`;
          break;
        case "stdev":
          s = `the ${per}-bar standard deviation${input}`;
          break;
        default:
          s = `${o.name.toUpperCase()}(${per})${input}`;
      }
      return s + ago(o.barsAgo);
    }
  }
}

/** How a multiple compares with a number: "at least 2×". */
const MULTIPLE: Partial<Record<Comparator, string>> = {
  ">": "more than",
  ">=": "at least",
  "<": "less than",
  "<=": "at most",
};

export function describeCondition(c: Condition): string {
  if ("all" in c) {
    return c.all.length === 1 ? describeCondition(c.all[0]) : c.all.map(describeCondition).join(
      " and ",
    );
  }
  if ("any" in c) return `(${c.any.map(describeCondition).join(" or ")})`;
  if ("not" in c) return `not (${describeCondition(c.not)})`;
  const { left, right } = c;
  if (
    left.type === "indicator" && left.name === "volume_ratio" && right.type === "const" &&
    MULTIPLE[c.op] && !left.times
  ) {
    return `the volume${ago(left.barsAgo)} is ${MULTIPLE[c.op]} ${n(right.value)}× its ` +
      `average over the ${n(left.period, "20")} bars before`;
  }
  return `${describeOperand(c.left)} ${OPS[c.op]} ${describeOperand(c.right)}`;
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The document as sentences, one per rule, in the order a trader reads them. */
export function describeRules(r: Rules): string[] {
  const out: string[] = [];
  const u = r.universe;
  out.push(
    u.type === "all"
      ? "Trades every shipped stock."
      : u.type === "sector"
      ? `Trades the ${u.sector} sector.`
      : `Trades ${u.symbols.join(", ")}.`,
  );
  const reb = r.timing.rebalance;
  const when = typeof reb === "string" ? reb : `when a weight drifts ${n(reb.driftPercent)}%`;
  out.push(`Signals at the close, fills at the next open; rebalances ${when}.`);
  if (r.ranking) {
    out.push(
      `Ranks candidates by ${describeOperand(r.ranking.by)}, ${
        r.ranking.order === "desc" ? "highest" : "lowest"
      } first, and keeps the top ${n(r.ranking.top)}.`,
    );
  }
  if (r.entry) out.push(`Buy when ${describeCondition(r.entry)}.`);
  if (r.exit) out.push(`Sell when ${describeCondition(r.exit)}.`);
  if (r.shortEntry) out.push(`Sell short when ${describeCondition(r.shortEntry)}.`);
  if (r.shortExit) out.push(`Cover when ${describeCondition(r.shortExit)}.`);
  const e = r.exits;
  const exits: string[] = [];
  if (e.stopLossPercent !== undefined) exits.push(`a ${n(e.stopLossPercent)}% stop loss`);
  if (e.atrStop) exits.push(`a stop ${n(e.atrStop.multiple)} ATR(${n(e.atrStop.period)}) away`);
  if (e.takeProfitPercent !== undefined) exits.push(`a ${n(e.takeProfitPercent)}% profit target`);
  if (e.trailingStopPercent !== undefined) {
    exits.push(`a ${n(e.trailingStopPercent)}% trailing stop`);
  }
  if (e.maxBars !== undefined) exits.push(`an exit after ${n(e.maxBars)} bars`);
  if (exits.length) out.push(`Each position has ${exits.join(", ")}.`);
  const s = r.sizing;
  const sizing = s.method === "fixed_shares"
    ? `${n(s.shares)} shares`
    : s.method === "fixed_cash"
    ? `$${n(s.amount)} per position`
    : s.method === "percent_equity"
    ? `${n(s.percent)}% of equity per position`
    : s.method === "risk_percent"
    ? `risking ${n(s.percent)}% of equity to the stop`
    : s.method === "atr"
    ? `risking ${n(s.riskPercent)}% of equity over ${n(s.multiple)} ATR(${n(s.period)})`
    : s.method === "volatility_target"
    ? `a ${n(s.targetPercent)}% annualised volatility target`
    : s.method === "inverse_volatility"
    ? `weights inverse to ${n(s.period)}-day volatility`
    : "equal weights";
  const c = r.constraints;
  out.push(
    `Sizes by ${sizing}; at most ${n(c.maxPositions)} positions, ${n(c.maxWeightPercent)}% each${
      c.sectorCapPercent !== undefined ? `, ${n(c.sectorCapPercent)}% per sector` : ""
    }; ${c.direction === "long" ? "long only" : "long and short"}.`,
  );
  const k = r.costs;
  const comm = k.commission.type === "none"
    ? "no commission"
    : k.commission.type === "per_share"
    ? `$${k.commission.perShare}/share commission (min $${k.commission.minimum})`
    : `${k.commission.percent}% commission`;
  out.push(
    cap(
      `${comm}, ${k.slippageBps} bps slippage, ${
        k.spread === "paper_broker" ? "the paper broker's bid/ask spread" : "no spread"
      }; ${r.priceAdjustment === "split" ? "split-adjusted prices" : "total-return prices"}.`,
    ),
  );
  return out;
}
