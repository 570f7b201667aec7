/**
 * The analyst's two strategy tasks, through the `Analyst` seam (lib/ai/types.ts):
 *
 * - `describeStrategy`: words → a rule document. Claude answers the structured task with the
 *   rule schema as its tool input (an invalid answer is fed back once with its validation
 *   errors); the offline analyst runs the deterministic parser (./parse/). When neither builds a
 *   valid document the answer says what could not be built, never a guess.
 * - `explainStrategy`: a strategy and its latest backtest in plain words, every figure from the
 *   data given (checked by the grounding checker); offline, a template over the same data.
 *
 * @module
 */
import { z } from "zod";
import type { Analyst, AnalystKind } from "../ai/types.ts";
import { AnalystError } from "../ai/types.ts";
import { checkGrounding } from "../ai/grounding.ts";
import { type Rules, ruleSchema, type RulesInput } from "./schema.ts";
import { describeRules } from "./sentences.ts";
import { parseStrategyText } from "./parse/mod.ts";

export interface Described {
  rules: Rules | null;
  /** What was read, valid or not, for the editor to start from (null when nothing usable). */
  draft: RulesInput | null;
  sentences: string[];
  assumptions: string[];
  unknownWords: string[];
  /** Why `rules` is null (each `path: message`); empty when it built. */
  errors: string[];
  analyst: AnalystKind;
  attempts: number;
}

const describedSchema = z.object({
  rules: ruleSchema,
  assumptions: z.array(z.string().max(300)).max(30),
  unknownWords: z.array(z.string().max(100)).max(100),
});

class Unbuildable extends Error {
  constructor(readonly outcome: ReturnType<typeof parseStrategyText>) {
    super("The words do not make a complete strategy.");
  }
}

const DESCRIBE = "Turn the trader's description of a trading strategy into a rule document that " +
  "matches the schema exactly. Use only what the text says; where you fill in a default " +
  "(fills at the next open, long only, an indicator's usual period), list it under assumptions " +
  "in one short sentence each. List under unknownWords every word or phrase you could not " +
  "express in the rule language, rather than approximating it. Symbols must be US tickers the " +
  "text names; never invent any.";

export async function describeStrategy(
  analyst: Analyst,
  userId: number,
  text: string,
  symbols: ReadonlySet<string>,
  signal?: AbortSignal,
): Promise<Described> {
  try {
    const r = await analyst.structured({
      userId,
      task: "strategy_rules",
      instructions: DESCRIBE,
      input: { text },
      schema: describedSchema,
      offline: () => {
        const o = parseStrategyText(text, { symbols });
        if (!o.rules) return Promise.reject(new Unbuildable(o));
        return Promise.resolve({
          rules: o.rules,
          assumptions: o.assumptions,
          unknownWords: o.unknownWords,
        });
      },
      signal,
    });
    return {
      rules: r.value.rules,
      draft: r.value.rules,
      sentences: describeRules(r.value.rules),
      assumptions: r.value.assumptions,
      unknownWords: r.value.unknownWords,
      errors: [],
      analyst: r.analyst,
      attempts: r.attempts,
    };
  } catch (err) {
    if (err instanceof Unbuildable) {
      return {
        rules: null,
        draft: err.outcome.draft,
        sentences: [],
        assumptions: err.outcome.assumptions,
        unknownWords: err.outcome.unknownWords,
        errors: err.outcome.errors,
        analyst: "offline",
        attempts: 1,
      };
    }
    if (err instanceof AnalystError && err.code === "invalid_output") {
      return {
        rules: null,
        draft: null,
        sentences: [],
        assumptions: [],
        unknownWords: [],
        errors: err.details?.length ? err.details : [err.message],
        analyst: analyst.kind,
        attempts: 2,
      };
    }
    throw err;
  }
}

export interface RunFacts {
  id: number;
  strategyVersion: number | null;
  start: string;
  end: string;
  symbols: string[];
  metrics: Record<string, number | null>;
}

export interface Explained {
  text: string;
  analyst: AnalystKind;
  /** Figures in the text that match none of the data given (should be empty). */
  unverified: string[];
  run: RunFacts | null;
}

const EXPLAIN = "Explain this trading strategy and, when given, its latest backtest to a " +
  "trader in plain words: what it does, when it buys and sells, and how the backtest went " +
  "(return, drawdown, Sharpe, number of trades, win rate) and what to be careful about. Use " +
  "only figures that appear in the input, with their units (% and USD). At most 180 words.";

const fmt = (v: number | null | undefined, unit = "", digits = 2) =>
  v === null || v === undefined || !Number.isFinite(v)
    ? "n/a"
    : `${v > 0 && unit === "%" ? "+" : ""}${v.toFixed(digits)}${unit}`;

/** The offline explanation: the sentences and the run's own figures, in a fixed template. */
export function explainOffline(name: string, rules: Rules, run: RunFacts | null): string {
  const lines = [`${name}: ${describeRules(rules).join(" ")}`];
  if (!run) {
    lines.push("It has not been backtested yet: run a backtest to see how it would have done.");
    return lines.join("\n\n");
  }
  const m = run.metrics;
  const trades = m.trades ?? 0;
  lines.push(
    `Its latest backtest (run #${run.id}${
      run.strategyVersion ? `, version ${run.strategyVersion}` : ""
    }, ${run.start} to ${run.end}, replayed daily history) returned ${
      fmt(m.totalReturnPct, "%")
    } against ${fmt(m.buyHoldReturnPct, "%")} for buy and hold of the same stocks, with a ` +
      `maximum drawdown of ${fmt(m.maxDrawdownPct, "%")} and a Sharpe ratio of ${
        fmt(m.sharpe)
      }. It made ${trades} trades and won ${fmt(m.winRatePct, "%", 1)} of them.`,
  );
  if (trades < 30) {
    lines.push(
      `${trades} trades are too few to judge the strategy; test a longer range or more symbols.`,
    );
  }
  return lines.join("\n\n");
}

export async function explainStrategy(
  analyst: Analyst,
  userId: number,
  strategy: { name: string; rules: Rules; version: number },
  run: RunFacts | null,
  signal?: AbortSignal,
): Promise<Explained> {
  const input = {
    strategy: {
      name: strategy.name,
      version: strategy.version,
      sentences: describeRules(strategy.rules),
      rules: strategy.rules,
    },
    backtest: run,
  };
  const r = await analyst.structured({
    userId,
    task: "strategy_explain",
    instructions: EXPLAIN,
    input,
    schema: z.object({ explanation: z.string().min(1).max(4000) }),
    offline: () =>
      Promise.resolve({ explanation: explainOffline(strategy.name, strategy.rules, run) }),
    signal,
  });
  const text = r.value.explanation;
  const grounding = checkGrounding(text, [{
    id: "strategy",
    name: "strategy_explain_input",
    input: {},
    ok: true,
    output: input,
    ms: 0,
  }]);
  return { text, analyst: r.analyst, unverified: grounding.unverified, run };
}
