/**
 * Splits a strategy described in words into tokens: words (lower-cased, the original kept),
 * numbers, percentages (`8%`, `8 percent`), dollar amounts (`$5,000`, `$2k`), tickers (written in
 * capitals and named in the symbol set the caller gives) and the few symbols the grammar reads
 * (`( ) , ; . < > <= >=`). Nothing is dropped silently: every token reaches the grammar, which
 * either reads it, treats it as filler, or reports it as not understood.
 *
 * @module
 */

export type TokenKind = "word" | "number" | "percent" | "money" | "ticker" | "punct";

export interface Token {
  kind: TokenKind;
  /** The text as written. */
  text: string;
  /** Lower-cased text (for tickers: the upper-case symbol). */
  lower: string;
  /** The value of a number, percent or money token. */
  value?: number;
}

const PATTERN =
  /\$\s?(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(k|m)?\b|(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)\s*(%|percent\b|pct\b)?|([A-Z]{1,5}\.[A-Z])\b|([A-Za-z]+)(?:'s|’s)?|(<=|>=|[<>(),;.:\/×])/g;

const num = (s: string) => Number(s.replaceAll(",", ""));

/**
 * The tokens of `text`. `symbols` is the set of known tickers: an upper-case word in it is a
 * ticker; `$aapl` is a ticker whatever its case.
 */
export function tokenize(text: string, symbols: ReadonlySet<string>): Token[] {
  const out: Token[] = [];
  for (const m of text.matchAll(PATTERN)) {
    const [all, money, suffix, n, pct, dotted, word, punct] = m;
    if (money !== undefined) {
      const mult = suffix === "k" ? 1e3 : suffix === "m" ? 1e6 : 1;
      out.push({ kind: "money", text: all, lower: all.toLowerCase(), value: num(money) * mult });
    } else if (n !== undefined) {
      const value = num(n);
      out.push(
        pct
          ? { kind: "percent", text: all, lower: all.toLowerCase(), value }
          : { kind: "number", text: all, lower: n, value },
      );
    } else if (dotted !== undefined) {
      out.push(
        symbols.has(dotted)
          ? { kind: "ticker", text: dotted, lower: dotted }
          : { kind: "word", text: dotted, lower: dotted.toLowerCase() },
      );
    } else if (word !== undefined) {
      const prev = text[m.index - 1];
      const upper = word.toUpperCase();
      const isTicker = symbols.has(upper) && (word === upper || prev === "$");
      out.push(
        isTicker
          ? { kind: "ticker", text: upper, lower: upper }
          : { kind: "word", text: word, lower: word.toLowerCase() },
      );
    } else if (punct !== undefined) {
      out.push({ kind: "punct", text: punct, lower: punct === "×" ? "x" : punct });
    }
  }
  return out;
}
