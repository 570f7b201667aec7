/**
 * The offline parser's grammar: reads the tokens of a strategy described in words into the parts
 * of a rule document. It reads clause by clause ("buy ... when ...", "sell when ...", "8% stop",
 * "10% of equity each", "rebalance monthly", ...); a token no clause reads is either filler or
 * reported as not understood. Every default it fills in (an RSI period of 14, a "20-day high"
 * that excludes today) is said as an assumption, so nothing is guessed silently.
 *
 * @module
 */
import type { Comparator, Condition, Operand, Sizing } from "../schema.ts";
import type { Token } from "./tokenizer.ts";
import {
  COMPARATOR_PHRASES,
  INDICATOR_PHRASES,
  type IndicatorWord,
  MOVEMENT_WORDS,
  PRICE_PHRASES,
  SECTOR_PHRASES,
  UNIT_BARS,
} from "./vocabulary.ts";

/** What the grammar read, before it becomes a rule document. */
export interface Reading {
  symbols: string[];
  sector?: string;
  all?: boolean;
  entry: Condition[];
  exit: Condition[];
  shortEntry: Condition[];
  shortExit: Condition[];
  sizing?: Sizing;
  stopLossPercent?: number;
  takeProfitPercent?: number;
  trailingStopPercent?: number;
  atrStop?: { period: number; multiple: number };
  maxBars?: number;
  rebalance?: "daily" | "weekly" | "monthly" | { driftPercent: number };
  ranking?: { by: Operand; order: "asc" | "desc"; top: number };
  maxPositions?: number;
  maxWeightPercent?: number;
  sectorCapPercent?: number;
  direction?: "long" | "long_short";
  commission?:
    | { type: "none" }
    | { type: "per_share"; perShare: number; minimum: number }
    | { type: "percent"; percent: number };
  slippageBps?: number;
  spread?: "none";
  assumptions: string[];
  /** Tokens no rule read and that are not filler, as written. */
  unknown: string[];
  /** Things read but not complete enough to build (a moving average without a period). */
  problems: string[];
}

type Target = "entry" | "exit" | "shortEntry" | "shortExit";

export class Grammar {
  readonly #t: Token[];
  readonly #used: boolean[];
  readonly r: Reading;
  /** The left side of the last comparison, for "sell when it rises above 70". */
  #last: Operand | null = null;

  constructor(tokens: Token[]) {
    this.#t = tokens;
    this.#used = tokens.map(() => false);
    this.r = {
      symbols: [],
      entry: [],
      exit: [],
      shortEntry: [],
      shortExit: [],
      assumptions: [],
      unknown: [],
      problems: [],
    };
  }

  // ---- token helpers -------------------------------------------------------------------------

  #lower(i: number): string | undefined {
    return this.#t[i]?.lower;
  }

  /** The index after `phrase` (space-separated words, `|` alternatives per word) at i, or -1. */
  #at(i: number, phrase: string): number {
    for (const part of phrase.split(" ")) {
      if (part === "") continue;
      const optional = part.endsWith("?");
      const alts = (optional ? part.slice(0, -1) : part).split("|");
      const w = this.#lower(i);
      if (w !== undefined && alts.includes(w)) i++;
      else if (!optional) return -1;
    }
    return i;
  }

  /** The first of `phrases` that matches at i: [its index, the index after it], or null. */
  #atAny<T>(i: number, phrases: [string, T][]): [T, number] | null {
    for (const [p, v] of phrases) {
      const j = this.#at(i, p);
      if (j > i) return [v, j];
    }
    return null;
  }

  #num(i: number, kind: "number" | "percent" | "money" = "number"): number | undefined {
    const t = this.#t[i];
    return t?.kind === kind ? t.value : undefined;
  }

  #use(from: number, to: number): number {
    for (let k = from; k < to; k++) this.#used[k] = true;
    return to;
  }

  #assume(s: string) {
    if (!this.r.assumptions.includes(s)) this.r.assumptions.push(s);
  }

  /** Skips articles and "its"/"the" before a phrase. */
  #art(i: number): number {
    return this.#at(i, "the|a|an|its|their|today?");
  }

  // ---- the reading loop ----------------------------------------------------------------------

  read(filler: ReadonlySet<string>): Reading {
    let i = 0;
    const clauses = [
      (i: number) => this.#tickers(i),
      (i: number) => this.#whenFirst(i),
      (i: number) => this.#action(i),
      (i: number) => this.#percentClause(i),
      (i: number) => this.#prefixedExit(i),
      (i: number) => this.#atrStop(i),
      (i: number) => this.#timeExit(i),
      (i: number) => this.#costs(i),
      (i: number) => this.#sizing(i),
      (i: number) => this.#rebalance(i),
      (i: number) => this.#ranking(i),
      (i: number) => this.#constraints(i),
      (i: number) => this.#universe(i),
    ];
    while (i < this.#t.length) {
      if (this.#used[i]) {
        i++;
        continue;
      }
      let next = -1;
      for (const clause of clauses) {
        next = clause(i);
        if (next > i) break;
      }
      if (next > i) {
        i = next;
        continue;
      }
      const t = this.#t[i];
      if (!filler.has(t.lower)) this.r.unknown.push(t.text);
      i++;
    }
    return this.r;
  }

  // ---- universe ------------------------------------------------------------------------------

  #tickers(i: number): number {
    if (this.#t[i]?.kind !== "ticker") return -1;
    const s = this.#t[i].lower;
    if (!this.r.symbols.includes(s)) this.r.symbols.push(s);
    return this.#use(i, i + 1);
  }

  #universe(i: number): number {
    const every = this.#at(
      i,
      "all|every|each|entire|whole the? whole|entire|full? shipped? 107? stocks|stock|universe|names|companies",
    );
    if (every > i + 1 || (every > i && this.#at(i, "universe") > i)) {
      this.r.all = true;
      return this.#use(i, every);
    }
    const j = this.#at(i, "the?");
    const sec = this.#atAny(j, SECTOR_PHRASES);
    if (sec) {
      const k = this.#at(sec[1], "sector|stocks|companies|names stocks|companies?");
      if (k > sec[1]) {
        this.r.sector = sec[0];
        return this.#use(i, k);
      }
    }
    return -1;
  }

  // ---- actions and conditions ----------------------------------------------------------------

  /** The action word at i: which rule a condition belongs to, and the index after it. */
  #actionWord(i: number): [Target, number] | null {
    const w = this.#lower(i);
    const next = this.#lower(i + 1);
    if ((w === "sell" || w === "go") && next === "short") return ["shortEntry", i + 2];
    if (w === "short" || w === "shorts") return ["shortEntry", i + 1];
    if (w === "cover" || w === "covers") return ["shortExit", i + 1];
    if (w === "go" && next === "long") return ["entry", i + 2];
    if (w === "buy" || w === "buys" || w === "purchase" || w === "enter") return ["entry", i + 1];
    if (w === "get" && next === "out") return ["exit", i + 2];
    if (w === "sell" || w === "sells" || w === "exit" || w === "exits" || w === "close") {
      return ["exit", i + 1];
    }
    return null;
  }

  /** "buy [AAPL and MSFT] [in the tech sector] when COND", "sell when it rises above 70". */
  #action(i: number): number {
    const a = this.#actionWord(i);
    if (!a) return -1;
    let [target, j] = a;
    // Symbols (and "the position", "them") may sit between the verb and "when".
    for (;;) {
      if (this.#t[j]?.kind === "ticker") {
        this.#tickers(j);
        j++;
      } else if (this.#at(j, "and|,|or|the|position|positions|them|it|shares|stock") > j) j++;
      else break;
    }
    const uni = this.#universe(j);
    if (uni > j) j = uni;
    const w = this.#at(j, "when|whenever|if|once|on");
    if (w === j) {
      // A verb with no condition ("buy AAPL and MSFT"): read what was read.
      this.#use(i, j);
      return j;
    }
    const c = this.#condition(w);
    if (!c) return this.#use(i, j);
    this.r[target].push(c[0]);
    if (target === "shortEntry" || target === "shortExit") this.r.direction = "long_short";
    return this.#use(i, c[1]);
  }

  /** "when COND, buy" / "if COND then sell". */
  #whenFirst(i: number): number {
    const w = this.#at(i, "when|whenever|if|once");
    if (w === i) return -1;
    const c = this.#condition(w);
    if (!c) return -1;
    const k = this.#at(c[1], ",? then?");
    const a = this.#actionWord(k);
    if (!a) return -1;
    this.r[a[0]].push(c[0]);
    if (a[0] === "shortEntry" || a[0] === "shortExit") this.r.direction = "long_short";
    // Symbols right after the verb ("..., buy AAPL").
    let j = a[1];
    while (this.#t[j]?.kind === "ticker" || this.#at(j, "and|,") > j) {
      if (this.#t[j].kind === "ticker") this.#tickers(j);
      j++;
    }
    return this.#use(i, j);
  }

  /** COND: atoms joined by and / or ("and" binds tighter). */
  #condition(i: number): [Condition, number] | null {
    const first = this.#atom(i);
    if (!first) return null;
    const groups: Condition[][] = [[first[0]]];
    let j = first[1];
    for (;;) {
      const join = this.#at(j, ",? and|or|but");
      if (join === j) break;
      const next = this.#atom(join);
      if (!next) break;
      if (this.#lower(join - 1) === "or") groups.push([next[0]]);
      else groups[groups.length - 1].push(next[0]);
      j = next[1];
    }
    const alls = groups.map((g) => (g.length === 1 ? g[0] : { all: g }));
    return [alls.length === 1 ? alls[0] : { any: alls }, j];
  }

  /** One comparison, or an idiom (golden cross, new N-day high). */
  #atom(i: number): [Condition, number] | null {
    const idiom = this.#idiom(i);
    if (idiom) return idiom;
    const left = this.#operand(i, true);
    if (!left) return null;
    let j = this.#at(left[1], "is|are|has|closes|trades|stays|was?");
    const movement = MOVEMENT_WORDS.has(this.#lower(j) ?? "");
    const cmp = this.#atAny<Comparator>(j, COMPARATOR_PHRASES);
    if (!cmp) {
      // "the close makes a new 20-day high"
      const nh = this.#newHighLow(j, left[0]);
      return nh;
    }
    j = cmp[1];
    // "crosses above its signal line": the signal of the same MACD.
    const sig = this.#at(j, "its|the signal line?");
    if (sig > j && left[0].type === "indicator" && left[0].name === "macd") {
      const right: Operand = { ...left[0], output: "signal" };
      this.#last = left[0];
      return [{ left: left[0], op: cmp[0], right }, sig];
    }
    const right = this.#operand(j, false) ??
      (this.#at(j, "zero") > j ? [{ type: "const", value: 0 } as Operand, j + 1] : null);
    if (!right) return null;
    if (movement && (cmp[0] === ">" || cmp[0] === "<")) {
      const w = this.#lower(j - 2);
      this.#assume(
        `"${w} ${this.#lower(j - 1)}" is read as "is ${
          cmp[0] === ">" ? "above" : "below"
        }" (true on every bar it stays there), not as a cross.`,
      );
    }
    this.#last = left[0];
    return [{ left: left[0], op: cmp[0], right: right[0] }, right[1]];
  }

  #idiom(i: number): [Condition, number] | null {
    const j = this.#at(i, "there? is? a|the|on? golden|death cross");
    if (j > i && ["cross"].includes(this.#lower(j - 1)!)) {
      const golden = this.#t.slice(i, j).some((t) => t.lower === "golden");
      const dead = this.#t.slice(i, j).some((t) => t.lower === "death");
      if (golden === dead) return null;
      this.#assume(
        `A ${golden ? "golden" : "death"} cross is SMA(50) crossing ${
          golden ? "above" : "below"
        } SMA(200).`,
      );
      return [{
        left: { type: "indicator", name: "sma", period: 50 },
        op: golden ? "crosses_above" : "crosses_below",
        right: { type: "indicator", name: "sma", period: 200 },
      }, this.#at(j, "occurs|happens")];
    }
    return null;
  }

  /** "makes|hits|breaks out to a new N-day high/low" after a price. */
  #newHighLow(i: number, left: Operand): [Condition, number] | null {
    const j = this.#at(i, "makes|hits|reaches|sets|breaks|closes? out? to|at? a|an? new?");
    if (j === i) return null;
    const op = this.#operand(j, false);
    if (!op || op[0].type !== "indicator") return null;
    const o = op[0];
    if (o.name !== "highest" && o.name !== "lowest") return null;
    return [{ left, op: o.name === "highest" ? ">" : "<", right: o }, op[1]];
  }

  /** "N-day", "N day", "N-week" before a name: the period in bars. */
  #periodBefore(i: number): [number, number] | null {
    const n = this.#num(i);
    if (n === undefined) return null;
    const unit = this.#lower(i + 1);
    if (unit && unit in UNIT_BARS) {
      const bars = Math.round(n * UNIT_BARS[unit]);
      if (UNIT_BARS[unit] > 1) this.#assume(`${n} ${unit} is read as ${bars} trading days.`);
      return [bars, i + 2];
    }
    return null;
  }

  /** An operand: a number, a price field, an indicator (with its period), or "it". */
  #operand(i: number, left: boolean): [Operand, number] | null {
    if (this.#at(i, "it|they") > i && this.#last) return [this.#last, i + 1];
    i = this.#art(i);
    const n = this.#num(i);
    if (n !== undefined) {
      const p = this.#periodBefore(i);
      if (!p) return [{ type: "const", value: n }, i + 1];
      return this.#indicator(p[1], p[0]);
    }
    const pct = this.#num(i, "percent");
    if (pct !== undefined && !left) return [{ type: "const", value: pct }, i + 1];
    const ind = this.#indicator(i, undefined);
    if (ind) return ind;
    const price = this.#atAny(
      i,
      PRICE_PHRASES.map(([p, field, ago]) =>
        [p, { field, ago }] as [string, {
          field: typeof field;
          ago: number;
        }]
      ),
    );
    if (price) {
      const { field, ago } = price[0];
      const o: Operand = ago ? { type: "price", field, barsAgo: ago } : { type: "price", field };
      return [o, price[1]];
    }
    return null;
  }

  /** An indicator name at i, with its period (given before it as `period`, or after it). */
  #indicator(i: number, period: number | undefined): [Operand, number] | null {
    const m = this.#atAny<IndicatorWord>(i, INDICATOR_PHRASES);
    if (!m) return null;
    const [w, after] = m;
    // "the 20-day high" needs a period before; "high" alone is a price field, not an indicator.
    if ((w.name === "highest" || w.name === "lowest") && period === undefined) {
      const of = this.#at(after, "of|over the? last|past?");
      if (of < 0) return null;
      const p = this.#periodBefore(of) ??
        (this.#num(of) !== undefined ? [this.#num(of)!, of + 1] as [number, number] : null);
      if (!p) return null;
      return this.#finishIndicator(w, p[0], p[1]);
    }
    let j = after;
    let fast: number | undefined;
    let slow: number | undefined;
    let signal: number | undefined;
    let stdDevs: number | undefined;
    if (this.#lower(j) === "(") {
      const nums: number[] = [];
      let k = j + 1;
      while (this.#num(k) !== undefined) {
        nums.push(this.#num(k)!);
        k = this.#at(k + 1, ",?");
      }
      if (this.#lower(k) !== ")" || !nums.length) return null;
      j = k + 1;
      if (w.name === "macd") [fast, slow, signal] = nums;
      else {
        period = nums[0];
        if (w.name === "bollinger" && nums[1] !== undefined) stdDevs = nums[1];
      }
    } else if (period === undefined && this.#num(j) !== undefined && !this.#periodBefore(j)) {
      // "RSI 14", but not "RSI 14 below 30" read twice: a bare number right after the name is
      // its period only when a comparison or the end follows.
      const k = j + 1;
      if (
        this.#atAny(this.#at(k, "is|closes?"), COMPARATOR_PHRASES) || k >= this.#t.length ||
        this.#at(k, ",|.|and") > k
      ) {
        period = this.#num(j);
        j = k;
      }
    } else if (period === undefined) {
      const of = this.#at(j, "of|over the? last|past?");
      const p = of > j ? this.#periodBefore(of) : null;
      if (p) {
        period = p[0];
        j = p[1];
      }
    }
    return this.#finishIndicator(w, period, j, { fast, slow, signal, stdDevs });
  }

  #finishIndicator(
    w: IndicatorWord,
    period: number | undefined,
    j: number,
    extra: { fast?: number; slow?: number; signal?: number; stdDevs?: number } = {},
  ): [Operand, number] {
    const label = w.name.toUpperCase();
    if (w.name !== "macd" && period === undefined) {
      if (w.usual !== undefined) {
        period = w.usual;
        this.#assume(`No period was given for ${label}: the usual ${w.usual} is used.`);
      } else {
        this.r.problems.push(
          `Which period for the ${
            w.name === "sma" ? "moving average" : label
          }? Write it as "50-day" or "(50)".`,
        );
      }
    }
    const o: Operand = { type: "indicator", name: w.name };
    if (period !== undefined && w.name !== "macd") o.period = period;
    if (w.output && w.name !== "macd") o.output = w.output;
    if (w.name === "macd") {
      if (w.output && w.output !== "line") o.output = w.output;
      if (extra.fast !== undefined) o.fast = extra.fast;
      if (extra.slow !== undefined) o.slow = extra.slow;
      if (extra.signal !== undefined) o.signal = extra.signal;
      if (extra.fast === undefined) this.#assume("MACD uses the usual 12, 26 and 9 bars.");
    }
    if (w.name === "bollinger" && extra.stdDevs !== undefined) o.stdDevs = extra.stdDevs;
    if (w.name === "bollinger" && extra.stdDevs === undefined) {
      this.#assume("Bollinger bands are 2 standard deviations wide.");
    }
    if (w.name === "highest" || w.name === "lowest") {
      o.input = w.input === "close" ? "close" : w.input;
      o.barsAgo = 1;
      this.#assume(
        `A ${period}-day ${
          w.name === "highest" ? "high" : "low"
        } is taken over the ${period} bars before today, so today's bar can break it.`,
      );
    }
    // "of the volume"
    const of = this.#at(j, "of|on the? volume");
    if (of > j && this.#lower(of - 1) === "volume" && w.name !== "avg_volume") {
      o.input = "volume";
      j = of;
    }
    return [o, j];
  }

  // ---- exits ---------------------------------------------------------------------------------

  /** "8% stop (loss)", "20% profit target", "5% trailing stop", "10% of equity", "25% per sector". */
  #percentClause(i: number): number {
    const p = this.#num(i, "percent");
    if (p === undefined) return -1;
    let j = this.#at(i + 1, "hard|fixed|initial|protective?");
    const trailing = this.#at(j, "trailing stop loss?");
    if (trailing > j) {
      this.r.trailingStopPercent = p;
      return this.#use(i, trailing);
    }
    const stop = this.#at(j, "stop|stoploss loss?");
    if (stop > j) {
      this.r.stopLossPercent = p;
      return this.#use(i, this.#at(stop, "below|under? the? entry|buy? price?"));
    }
    const target = this.#at(j, "profit|gain? target|taking?");
    if (target > j) {
      this.r.takeProfitPercent = p;
      return this.#use(i, target);
    }
    const tp = this.#at(j, "take profit");
    if (tp > j) {
      this.r.takeProfitPercent = p;
      return this.#use(i, tp);
    }
    j = i + 1;
    const eq = this.#at(j, "of the? equity|account|capital|portfolio");
    if (eq > j) {
      this.r.sizing = { method: "percent_equity", percent: p };
      return this.#use(i, this.#at(eq, "each|per|in? position|stock|trade|symbol?"));
    }
    const sector = this.#at(j, "per|a|each|sector cap|max|limit?");
    if (sector > j && this.#t.slice(j, sector).some((t) => t.lower === "sector")) {
      this.r.sectorCapPercent = p;
      return this.#use(i, sector);
    }
    const comm = this.#at(j, "commission|commissions");
    if (comm > j) {
      this.r.commission = { type: "percent", percent: p };
      return this.#use(i, comm);
    }
    return -1;
  }

  /** "stop loss of 8%", "take profit at 20%", "trailing stop of 5%", "trail by 5%". */
  #prefixedExit(i: number): number {
    const forms: [string, (v: number) => void][] = [
      ["trailing stop loss? of|at|is?", (v) => (this.r.trailingStopPercent = v)],
      ["trail|trailing by|at?", (v) => (this.r.trailingStopPercent = v)],
      ["stop loss|stoploss? of|at|is?", (v) => (this.r.stopLossPercent = v)],
      ["stop out? at|of?", (v) => (this.r.stopLossPercent = v)],
      ["take profit|profits of|at|is?", (v) => (this.r.takeProfitPercent = v)],
      ["profit target of|at|is?", (v) => (this.r.takeProfitPercent = v)],
      ["target of|at|is?", (v) => (this.r.takeProfitPercent = v)],
    ];
    for (const [phrase, set] of forms) {
      const j = this.#at(this.#at(i, "a|an|with|the|use?"), phrase);
      if (j <= i) continue;
      const k = this.#at(j, "a|an?");
      const v = this.#num(k, "percent");
      if (v === undefined) continue;
      set(v);
      return this.#use(i, this.#at(k + 1, "below|under|above? the? entry|buy? price?"));
    }
    return -1;
  }

  /** "2 ATR stop", "a stop 3 ATRs away", "stop at 2x ATR(14)", "ATR stop of 2". */
  #atrStop(i: number): number {
    const read = (k: number): [number, number, number] | null => {
      const mult = this.#num(k);
      if (mult === undefined) return null;
      let j = this.#at(k + 1, "x|times?");
      let period = 14;
      const atr = this.#at(j, "atr|atrs");
      if (atr === j) return null;
      j = atr;
      if (this.#lower(j) === "(" && this.#num(j + 1) !== undefined && this.#lower(j + 2) === ")") {
        period = this.#num(j + 1)!;
        j += 3;
      } else this.#assume("The ATR stop uses ATR(14).");
      return [mult, period, j];
    };
    let r = read(this.#at(i, "a|an?"));
    if (r) {
      const j = this.#at(r[2], "trailing? stop|stoploss loss?");
      if (j > r[2] && this.#t.slice(r[2], j).some((t) => t.lower.startsWith("stop"))) {
        this.r.atrStop = { period: r[1], multiple: r[0] };
        return this.#use(i, j);
      }
    }
    const s = this.#at(i, "a|an|with? stop|stoploss loss? of|at|is?");
    if (s > i && this.#t.slice(i, s).some((t) => t.lower.startsWith("stop"))) {
      r = read(s);
      if (r) {
        this.r.atrStop = { period: r[1], multiple: r[0] };
        return this.#use(i, this.#at(r[2], "away|below|from? the? entry?"));
      }
    }
    return -1;
  }

  /** "exit after 10 days", "hold for at most 10 bars", "time stop of 10 days". */
  #timeExit(i: number): number {
    const LEAD = new Set([
      "sell",
      "exit",
      "close",
      "get",
      "out",
      "hold",
      "holding",
      "keep",
      "time",
      "max",
      "maximum",
      "each",
      "position",
      "positions",
      "trade",
      "trades",
      "for",
      "after",
      "stop",
      "period",
      "of",
      "at",
      "most",
      "up",
      "to",
      "no",
      "more",
      "than",
      "a",
      "the",
      "them",
      "it",
    ]);
    const KEY = new Set(["after", "for", "time", "most", "up", "max", "maximum"]);
    let j = i;
    let key = false;
    while (j < this.#t.length && LEAD.has(this.#lower(j)!)) key ||= KEY.has(this.#lower(j++)!);
    if (!key) return -1;
    const n = this.#num(j);
    const unit = this.#lower(j + 1);
    if (n === undefined || !unit || !(unit in UNIT_BARS) || UNIT_BARS[unit] > 5) return -1;
    this.r.maxBars = n * UNIT_BARS[unit];
    if (UNIT_BARS[unit] > 1) {
      this.#assume(`${n} ${unit} is read as ${this.r.maxBars} trading days.`);
    }
    return this.#use(i, j + 2);
  }

  // ---- sizing, timing, ranking, constraints, costs --------------------------------------------

  #sizing(i: number): number {
    const risk = this.#at(i, "risk|risking");
    if (risk > i) {
      const k = this.#at(risk, "of?");
      const v = this.#num(k, "percent");
      if (v !== undefined) {
        this.r.sizing = { method: "risk_percent", percent: v };
        return this.#use(
          i,
          this.#at(k + 1, "of? the? equity|account|capital? per|each|a? trade|position?"),
        );
      }
    }
    const money = this.#num(this.#at(i, "invest|put|allocate|size|with?"), "money");
    if (money !== undefined) {
      const m = this.#at(i, "invest|put|allocate|size|with?") + 1;
      const k = this.#at(m, "in? per|each|a|in? position|trade|stock|symbol|name|each?");
      if (k > m) {
        this.r.sizing = { method: "fixed_cash", amount: money };
        return this.#use(i, k);
      }
    }
    const sh = this.#num(this.#at(i, "buy?"));
    if (sh !== undefined) {
      const s = this.#at(i, "buy?");
      const k = this.#at(s + 1, "shares|share");
      if (k > s + 1) {
        this.r.sizing = { method: "fixed_shares", shares: sh };
        return this.#use(i, this.#at(k, "each|per|a? position|trade?"));
      }
    }
    const eq = this.#at(i, "equal|equally weight|weights|weighted|weighting");
    if (eq > i + 1) {
      this.r.sizing = { method: "equal_weight" };
      return this.#use(i, eq);
    }
    const inv = this.#at(i, "inverse volatility weight|weights|weighted|weighting?");
    if (inv > i + 1) {
      this.r.sizing = { method: "inverse_volatility", period: 20 };
      this.#assume("Inverse-volatility weights use 20-day volatility.");
      return this.#use(i, inv);
    }
    const vt = this.#at(i, "target|targeting a? annual|annualised|annualized?");
    const v = this.#num(vt, "percent");
    if (vt > i && v !== undefined) {
      const k = this.#at(vt + 1, "annual|annualised|annualized? volatility|vol");
      if (k > vt + 1) {
        this.r.sizing = { method: "volatility_target", targetPercent: v, period: 20 };
        this.#assume("The volatility target uses 20-day volatility.");
        return this.#use(i, k);
      }
    }
    return -1;
  }

  #rebalance(i: number): number {
    const j = this.#at(i, "rebalance|rebalanced|rebalancing|rebalances|rotate|rotated?");
    let k = this.#at(j, "the? portfolio? every|each|once? a?");
    const periods: [string, "daily" | "weekly" | "monthly"][] = [
      ["daily|day", "daily"],
      ["weekly|week", "weekly"],
      ["monthly|month", "monthly"],
    ];
    if (j > i) {
      const drift = this.#at(k, "when a? weight|weights drifts|drift by|more? than?");
      if (drift > k) {
        const v = this.#num(drift, "percent");
        if (v !== undefined) {
          this.r.rebalance = { driftPercent: v };
          return this.#use(i, drift + 1);
        }
      }
    }
    if (j === i) k = i;
    for (const [p, v] of periods) {
      const e = this.#at(k, p);
      if (e > k && (j > i || /ly$/.test(this.#lower(k)!) || k > i)) {
        this.r.rebalance = v;
        return this.#use(i, e);
      }
    }
    return -1;
  }

  /** "rank by 6-month momentum and hold the top 10", "buy the top 5 by ROC(126)". */
  #ranking(i: number): number {
    let rank = this.#at(i, "rank|ranked|ranking|sort|sorted");
    if (rank > i) {
      const uni = this.#universe(rank);
      if (uni > rank) rank = uni;
      rank = this.#at(rank, "the|all? stocks|them|names? by");
    }
    if (rank > i + 1 && this.#lower(rank - 1) === "by") {
      const by = this.#operand(rank, true);
      if (!by) return -1;
      let j = by[1];
      let order: "asc" | "desc" = "desc";
      const dir = this.#at(j, ",? highest|strongest|best|lowest|weakest|worst first");
      if (dir > j) {
        if (["lowest", "weakest", "worst"].includes(this.#lower(dir - 2)!)) order = "asc";
        j = dir;
      }
      const top = this.#at(j, ",? and? keep|hold|buy|own the? top|best");
      if (top > j && this.#num(top) !== undefined) {
        this.r.ranking = { by: by[0], order, top: this.#num(top)! };
        return this.#use(i, this.#at(top + 1, "stocks|names?"));
      }
      return -1;
    }
    const head = this.#at(i, "buy|hold|keep|own the top|best");
    if (head > i + 1 && this.#num(head) !== undefined) {
      const j = this.#at(head + 1, "stocks|names? by|on");
      if (j > head + 1) {
        const by = this.#operand(j, true);
        if (by) {
          this.r.ranking = { by: by[0], order: "desc", top: this.#num(head)! };
          return this.#use(i, by[1]);
        }
      }
    }
    return -1;
  }

  #constraints(i: number): number {
    const max = this.#at(i, "at|no|up? most|more|max|maximum|to? than? of?");
    if (max > i) {
      const n = this.#num(max);
      const k = this.#at(max + 1, "open? positions|stocks|holdings|names");
      if (n !== undefined && k > max + 1) {
        this.r.maxPositions = n;
        return this.#use(i, this.#at(k, "at once|a time?"));
      }
      const p = this.#num(max, "percent");
      const w = this.#at(max + 1, "in|per|of the? one|a|any|each? position|stock|name|holding");
      if (p !== undefined && w > max + 1) {
        this.r.maxWeightPercent = p;
        return this.#use(i, w);
      }
    }
    const lo = this.#at(i, "long only");
    if (lo > i + 1) {
      this.r.direction = this.r.direction ?? "long";
      return this.#use(i, lo);
    }
    const ls = this.#at(i, "long and|/ short");
    if (ls > i + 2) {
      this.r.direction = "long_short";
      return this.#use(i, ls);
    }
    return -1;
  }

  #costs(i: number): number {
    const none = this.#at(i, "no|zero|without|free commission|commissions|slippage|spread");
    if (none > i + 1) {
      const w = this.#lower(none - 1)!;
      if (w.startsWith("commission")) this.r.commission = { type: "none" };
      else if (w === "slippage") this.r.slippageBps = 0;
      else this.r.spread = "none";
      return this.#use(i, none);
    }
    // "$0.005 per share commission (minimum $1)", "commission of $0.005 per share, min $1"
    const c = this.#at(i, "commission|commissions of|at|is?");
    const start = c > i ? c : i;
    const ps = this.#num(start, "money");
    if (ps !== undefined) {
      let k = this.#at(start + 1, "a|per share");
      if (k <= start + 1 || this.#lower(k - 1) !== "share") return -1;
      k = this.#at(k, "commission|commissions?");
      if (c === i && this.#lower(k - 1)?.startsWith("commission") !== true) return -1;
      const mi = this.#at(k, ",|(? with? a? min|minimum|minimum of?");
      const m = this.#num(mi, "money");
      let minimum = 0;
      if (mi > k && m !== undefined) {
        minimum = m;
        k = this.#at(mi + 1, ")?");
      }
      this.r.commission = { type: "per_share", perShare: ps, minimum };
      return this.#use(i, k);
    }
    const slip = this.#at(i, "slippage of?");
    const s0 = slip > i ? slip : i;
    const bps = this.#num(s0);
    if (bps !== undefined) {
      const k = this.#at(s0 + 1, "bps|bp|basis points?");
      if (k > s0 + 1) {
        const after = this.#at(k, "of? slippage");
        if (slip > i || this.#lower(after - 1) === "slippage") {
          this.r.slippageBps = bps;
          return this.#use(i, after);
        }
      }
    }
    return -1;
  }
}
