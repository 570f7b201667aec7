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

export function describeOperand(o: Operand): string {
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
        case "highest":
          s = `the highest ${o.input ?? "high"} of ${per} bars`;
          break;
        case "lowest":
          s = `the lowest ${o.input ?? "low"} of ${per} bars`;
          break;
        case "avg_volume":
          s = `the ${per}-bar average volume`;
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

export function describeCondition(c: Condition): string {
  if ("all" in c) {
    return c.all.length === 1 ? describeCondition(c.all[0]) : c.all.map(describeCondition).join(
      " and ",
    );
  }
  if ("any" in c) return `(${c.any.map(describeCondition).join(" or ")})`;
  if ("not" in c) return `not (${describeCondition(c.not)})`;
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
