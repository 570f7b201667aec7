/**
 * The offline strategy parser: words in, a rule document out, with the assumptions it made and
 * the words it did not understand. Deterministic and pure (the symbol set comes from the caller),
 * so the phrasing set (`phrasings.json`) pins what it reads.
 *
 * ```ts
 * const r = parseStrategyText("buy AAPL when RSI(14) falls below 30, sell when it rises above 70",
 *   { symbols: new Set(["AAPL"]) });
 * r.rules?.entry; // { left: RSI(14), op: "<", right: 30 }
 * ```
 *
 * @module
 */
import { type Condition, parseRules, type Rules, type RulesInput } from "../schema.ts";
import { describeRules } from "../sentences.ts";
import { Grammar } from "./grammar.ts";
import { tokenize } from "./tokenizer.ts";
import { FILLER } from "./vocabulary.ts";

export interface ParseOutcome {
  /** The validated document, or null when what was read does not make a strategy. */
  rules: Rules | null;
  /** The document as read, valid or not (for the editor to start from). */
  draft: RulesInput;
  sentences: string[];
  assumptions: string[];
  /** Words no rule read, as written, in order. */
  unknownWords: string[];
  /** Why `rules` is null: what is missing or incomplete, each naming the part. */
  errors: string[];
}

export interface ParseOptions {
  /** Known tickers (the shipped universe): only these are read as symbols. */
  symbols: ReadonlySet<string>;
  /** The name the document gets (default "My strategy"). */
  name?: string;
}

const join = (cs: Condition[]): Condition | undefined =>
  cs.length === 0 ? undefined : cs.length === 1 ? cs[0] : { all: cs };

export function parseStrategyText(text: string, opts: ParseOptions): ParseOutcome {
  const r = new Grammar(tokenize(text, opts.symbols)).read(FILLER);
  const assumptions = [...r.assumptions];
  const errors = [...r.problems];
  const say = (s: string) => assumptions.push(s);

  say("Signals are taken at the close and filled at the next open.");
  const universe: RulesInput["universe"] | undefined = r.symbols.length
    ? { type: "symbols", symbols: r.symbols }
    : r.sector
    ? { type: "sector", sector: r.sector }
    : r.all
    ? { type: "all" }
    : undefined;
  if (!universe) errors.push('universe: name the symbols (AAPL, MSFT), a sector, or "all stocks".');

  const direction = r.direction ?? "long";
  if (direction === "long") say("Long only: no short positions.");
  if (!r.sizing) say("Equal weight per position (no position size was given).");
  if (r.commission === undefined && r.slippageBps === undefined) {
    say("No commission or slippage; fills pay the paper broker's bid/ask spread.");
  }
  const maxPositions = r.maxPositions ?? r.ranking?.top;
  if (r.maxPositions === undefined && r.ranking) {
    say(`At most ${r.ranking.top} positions, the top ${r.ranking.top} of the ranking.`);
  } else if (
    r.maxPositions === undefined &&
    (universe?.type !== "symbols" || (universe.symbols.length > 10))
  ) say("At most 10 positions at once (the default).");
  if (r.ranking && r.rebalance === undefined) say("The ranking is rebalanced daily (none given).");
  const entry = join(r.entry);
  if (!entry && !r.ranking) errors.push('entry: say when to buy ("buy when ...").');
  if (
    (entry || r.ranking) && !r.exit.length && r.stopLossPercent === undefined &&
    r.takeProfitPercent === undefined && r.trailingStopPercent === undefined && !r.atrStop &&
    r.maxBars === undefined && !r.ranking
  ) say("No exit rule: positions are held to the end of the test.");

  const exits: NonNullable<RulesInput["exits"]> = {};
  if (r.stopLossPercent !== undefined) exits.stopLossPercent = r.stopLossPercent;
  if (r.atrStop) exits.atrStop = r.atrStop;
  if (r.takeProfitPercent !== undefined) exits.takeProfitPercent = r.takeProfitPercent;
  if (r.trailingStopPercent !== undefined) exits.trailingStopPercent = r.trailingStopPercent;
  if (r.maxBars !== undefined) exits.maxBars = r.maxBars;

  const draft: RulesInput = {
    name: opts.name ?? "My strategy",
    universe: universe ?? { type: "symbols", symbols: [] },
    ...(r.rebalance ? { timing: { rebalance: r.rebalance } } : {}),
    ...(entry ? { entry } : {}),
    ...(r.exit.length ? { exit: join(r.exit) } : {}),
    ...(r.shortEntry.length ? { shortEntry: join(r.shortEntry) } : {}),
    ...(r.shortExit.length ? { shortExit: join(r.shortExit) } : {}),
    ...(r.ranking ? { ranking: r.ranking } : {}),
    sizing: r.sizing ?? { method: "equal_weight" },
    exits,
    constraints: {
      ...(maxPositions !== undefined ? { maxPositions } : {}),
      ...(r.maxWeightPercent !== undefined ? { maxWeightPercent: r.maxWeightPercent } : {}),
      ...(r.sectorCapPercent !== undefined ? { sectorCapPercent: r.sectorCapPercent } : {}),
      direction,
    },
    costs: {
      ...(r.commission ? { commission: r.commission } : {}),
      ...(r.slippageBps !== undefined ? { slippageBps: r.slippageBps } : {}),
      ...(r.spread ? { spread: r.spread } : {}),
    },
  };

  let rules: Rules | null = null;
  if (!errors.length) {
    const parsed = parseRules(draft);
    if (parsed.ok) rules = parsed.rules;
    else errors.push(...parsed.errors);
  }
  return {
    rules,
    draft,
    sentences: rules ? describeRules(rules) : [],
    assumptions,
    unknownWords: r.unknown,
    errors,
  };
}
