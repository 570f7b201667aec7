/**
 * The scanner over the whole shipped universe (107 stocks), warm (series parsed and indicator
 * columns cached): every preset through the engine, and the oversold preset through the whole
 * app (`POST /api/screening/run`: auth, zod, the replay clock, the scan, JSON). The issue's
 * budget is under 20 ms per preset, warm.
 * `deno bench -A bench/scanner_bench.ts`
 */
import { openTestApp } from "../tests/_harness.ts";
import { signUp } from "../tests/_auth.ts";
import { openReplayForTest } from "../lib/market/testing.ts";
import { runScan } from "../lib/scanner/engine.ts";
import { presetById, PRESETS } from "../lib/scanner/presets.ts";
import { replayUniverse } from "../lib/scanner/universe.ts";

const universe = await replayUniverse();
const DAY = "2020-03-17";
for (const p of PRESETS) runScan(universe, DAY, p.spec); // warm the columns

Deno.bench("every preset once, whole universe, warm (engine)", { group: "engine" }, () => {
  for (const p of PRESETS) runScan(universe, DAY, p.spec);
});

for (const id of ["oversold", "momentum", "breakout_52w", "golden_cross"]) {
  const spec = presetById(id)!.spec;
  Deno.bench(`preset ${id}, whole universe, warm (engine)`, { group: "engine" }, () => {
    runScan(universe, DAY, spec);
  });
}

const t = await openTestApp({ LOG_LEVEL: "silent", RATE_LIMIT_PER_MINUTE: "100000000" }, {
  market: () => openReplayForTest({ start: "2020-03-16" }),
});
const me = await signUp(t.app);
const headers = { ...me.bearer, "Content-Type": "application/json" };
const run = async () => {
  const res = await t.app.request("/api/screening/run", {
    method: "POST",
    headers,
    body: JSON.stringify({ preset: "oversold" }),
  });
  if (res.status !== 200) throw new Error(`status ${res.status}: ${await res.text()}`);
  await res.arrayBuffer();
};
await run();

Deno.bench("POST /api/screening/run oversold, warm (whole app)", { group: "api" }, async () => {
  await run();
});

globalThis.addEventListener("unload", () => void t.close());
