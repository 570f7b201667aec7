import assert from "node:assert/strict";
import type { CheckResult } from "../broker/types.ts";
import { checkVerdict, excessText, isRefused } from "./trade_checks.ts";

Deno.test("check verdicts: refusals block, warnings do not, and say by how much", () => {
  const refuse: CheckResult = {
    rule: "max_order_value",
    ok: false,
    severity: "refuse",
    message: "m",
    excess: 1234.5,
    unit: "USD",
  };
  const warn: CheckResult = { rule: "market_hours", ok: true, severity: "warn", message: "m" };
  const info: CheckResult = { rule: "quantity", ok: true, severity: "info", message: "m" };
  assert.deepEqual([refuse, warn, info].map(checkVerdict), ["refuse", "warn", "ok"]);
  assert.equal(isRefused([warn, info]), false);
  assert.equal(isRefused([warn, refuse]), true);
  assert.equal(excessText(refuse), "over by $1,234.50");
  assert.equal(excessText({ ...refuse, unit: "shares", excess: 5 }), "over by 5 shares");
  assert.equal(excessText({ ...refuse, unit: "%", excess: 2.5 }), "over by 2.50 percentage points");
  assert.equal(excessText({ ...refuse, unit: "contracts", excess: 2 }), "over by 2 contracts");
  assert.equal(excessText(warn), "");
});
