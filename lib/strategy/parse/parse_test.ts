/**
 * The offline parser against the phrasing set (`phrasings.json`): each phrasing with the rule
 * document it must read, exactly (defaults filled in by the schema), and a few that must not
 * build at all. The test prints how many it reads exactly and fails below the floor.
 */
import assert from "node:assert/strict";
import { isDeepStrictEqual } from "node:util";
import { History } from "../../market/replay/history.ts";
import { ruleSchema } from "../schema.ts";
import { parseStrategyText } from "./mod.ts";
import { tokenize } from "./tokenizer.ts";

interface Case {
  text: string;
  expect: Record<string, unknown> & { _fails?: boolean };
}

const CASES: Case[] = JSON.parse(
  await Deno.readTextFile(new URL("./phrasings.json", import.meta.url)),
);
const SYMBOLS = new Set(new History().list().map((i) => i.symbol));
/** What the parser reads exactly today; raise it when it reads more, never lower it. */
const FLOOR = 67;

Deno.test("the phrasing set is read exactly, and what cannot be built is said", () => {
  assert.ok(CASES.length >= 60, `${CASES.length} phrasings`);
  const misses: string[] = [];
  let exact = 0;
  for (const c of CASES) {
    const out = parseStrategyText(c.text, { symbols: SYMBOLS });
    if (c.expect._fails) {
      const said = out.rules === null && (out.errors.length > 0 || out.unknownWords.length > 0);
      if (said) exact++;
      else misses.push(`${c.text}\n  built: ${JSON.stringify(out.rules)}`);
      continue;
    }
    const want = ruleSchema.parse({ name: "My strategy", ...c.expect });
    if (isDeepStrictEqual(out.rules, want)) exact++;
    else {
      misses.push(
        `${c.text}\n  errors: ${out.errors.join(" | ")}\n  unknown: ${out.unknownWords.join(" ")}` +
          `\n  got:  ${JSON.stringify(out.draft)}\n  want: ${JSON.stringify(c.expect)}`,
      );
    }
  }
  console.log(`offline parser: ${exact} of ${CASES.length} phrasings read exactly`);
  if (misses.length) console.log(misses.join("\n\n"));
  assert.ok(exact >= FLOOR, `${exact} exact, floor ${FLOOR}`);
});

Deno.test("unknown words are listed, and a ticker is only a known symbol in capitals", () => {
  const out = parseStrategyText("buy AAPL and ZZZZ when the stochastic is below 20", {
    symbols: SYMBOLS,
  });
  assert.equal(out.rules, null);
  assert.ok(out.unknownWords.includes("ZZZZ"), out.unknownWords.join(" "));
  assert.ok(out.unknownWords.includes("stochastic"));
  const t = tokenize("buy aapl, $msft and AAPL at 8% with $5k", SYMBOLS);
  assert.deepEqual(t.map((x) => x.kind), [
    "word",
    "word",
    "punct",
    "ticker",
    "word",
    "ticker",
    "word",
    "percent",
    "word",
    "money",
  ]);
  assert.equal(t.at(-1)?.value, 5000);
});

Deno.test("defaults the parser fills in are said as assumptions", () => {
  const out = parseStrategyText("buy AAPL when RSI is below 30 and sell when it rises above 70", {
    symbols: SYMBOLS,
  });
  assert.ok(out.rules, out.errors.join("\n"));
  assert.ok(
    out.assumptions.some((a) => a.includes("RSI") && a.includes("14")),
    out.assumptions.join("\n"),
  );
  assert.ok(out.assumptions.some((a) => a.includes("next open")));
  assert.ok(out.assumptions.some((a) => a.includes("Long only")));
  assert.ok(out.sentences.includes("Buy when RSI(14) is below 30."), out.sentences.join("\n"));
});
