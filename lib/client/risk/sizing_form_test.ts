import assert from "node:assert/strict";
import { EMPTY_FORM, sizingBody, ticketUrl } from "./sizing_form.ts";

Deno.test("only the chosen method's fields are sent, blanks left to the server's defaults", () => {
  const body = sizingBody({ ...EMPTY_FORM, symbol: " msft ", stop: "95.5", winRate: "60" });
  assert.deepEqual(body, {
    symbol: "MSFT",
    side: "buy",
    method: "fixed_fractional",
    stop: 95.5,
    riskPercent: 1,
  });
});

Deno.test("the win rate is a percentage on screen and a fraction on the wire", () => {
  const body = sizingBody({ ...EMPTY_FORM, method: "kelly", winRate: "55", payoffRatio: "1.5" });
  assert.equal(body.winRate, 0.55);
  assert.equal(body.payoffRatio, 1.5);
});

Deno.test("text that is not a number goes to the server to be named in its error", () => {
  assert.equal(sizingBody({ ...EMPTY_FORM, stop: "ten" }).stop, "ten");
});

Deno.test("send to ticket prefills Execute Trade", () => {
  assert.equal(ticketUrl("AAPL", "sell", 120), "/execute?symbol=AAPL&side=sell&qty=120");
});
