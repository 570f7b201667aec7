import assert from "node:assert/strict";
import type { MiddlewareContext } from "../lib/fresh/types.ts";
import type { State } from "../lib/state.ts";
import { handler } from "./_middleware.ts";

async function run(cookie?: string): Promise<State> {
  const state = { requestId: "test" } as State;
  const ctx: MiddlewareContext<State> = {
    url: new URL("http://localhost/risk"),
    params: {},
    state,
    destination: "route",
    next: () => Promise.resolve(new Response("ok")),
  };
  const headers = cookie ? { cookie } : undefined;
  const res = await handler(new Request("http://localhost/risk", { headers }), ctx);
  assert.equal(await res.text(), "ok");
  return state;
}

Deno.test("middleware: paper mode, the default split and the dark theme without a cookie", async () => {
  assert.deepEqual(await run(), {
    requestId: "test",
    tradingMode: "paper",
    splitPercent: 38,
    appearance: { theme: "dark", density: "comfortable" },
  });
});

Deno.test("middleware: theme and density from the cookie", async () => {
  assert.deepEqual((await run("paiid_look=system.compact")).appearance, {
    theme: "system",
    density: "compact",
  });
});

Deno.test("middleware: split width from the cookie, clamped", async () => {
  assert.equal((await run("paiid_split=50")).splitPercent, 50);
  assert.equal((await run("paiid_split=75")).splitPercent, 60);
});
