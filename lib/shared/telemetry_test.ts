import { equal } from "node:assert/strict";
import { commandKind, pageOf, personalLooking, scrubMessage } from "./telemetry.ts";

Deno.test("pages are reported by kind, never by symbol", () => {
  equal(pageOf("/"), "hub");
  equal(pageOf("/risk"), "risk");
  equal(pageOf("/backtesting/anything"), "backtesting");
  equal(pageOf("/symbol/AAPL"), "symbol");
  equal(pageOf("/admin"), "admin");
  equal(pageOf("/somewhere"), "other");
});

Deno.test("palette commands are reported by kind: no symbol, scan or strategy id", () => {
  equal(commandKind("stage:risk"), "stage");
  equal(commandKind("symbol:AAPL"), "symbol");
  equal(commandKind("scan:12"), "scan");
  equal(commandKind("backtest:5:2"), "backtest");
  equal(commandKind("theme:light"), "theme");
  equal(commandKind("action:new-order"), "new_order");
  equal(commandKind("action:halt"), "halt");
  equal(commandKind("action:brief"), "brief");
  equal(commandKind("action:whatever"), "other");
  equal(commandKind("recent:x"), "other");
});

Deno.test("a scrubbed message is never refused as personal", () => {
  for (
    const raw of [
      "Cannot read properties of undefined (reading 'x')",
      "Failed 3 times for jo@x.io at http://a.b/c?d=1 and ftp://e",
      "a\n\tb   c",
      "x".repeat(500),
    ]
  ) {
    const clean = scrubMessage(raw);
    equal(personalLooking(clean), null, clean);
    equal(clean.length <= 200, true);
  }
  equal(personalLooking("user 42"), "digits");
  equal(personalLooking("mail me@x.io"), "an e-mail address");
  equal(personalLooking("see https://x"), "a URL");
});

Deno.test("digits of any script count as digits; control characters are scrubbed", () => {
  // \d is ASCII only: Arabic-Indic or full-width digits (an amount, an account) went through.
  equal(personalLooking("account \u0663\u0664\u0665"), "digits");
  equal(personalLooking("order \uff11\uff12"), "digits");
  equal(scrubMessage("account \u0663\u0664\u0665 and \uff11\uff12"), "account # and #");
  // NUL cannot be stored (Postgres text): a message holding one was a 500 for the whole batch.
  equal(scrubMessage("a\u0000b\u0007c"), "a b c");
});
