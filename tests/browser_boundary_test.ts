/**
 * What ships to the browser stays on the browser's side: islands (and the lib/client modules
 * they are built from) make value imports only from islands/, lib/client/, lib/shared/,
 * components/ and the browser packages; lib/shared/ imports nothing but itself (no zod, no
 * server code), since both sides use it. Read from the esbuild metafile, so type-only imports,
 * which are erased, do not count.
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import {
  type BoundaryRules,
  browserImportGraph,
  describeCrossing,
  findCrossings,
} from "./_browser_boundary.ts";

const root = new URL("../", import.meta.url).pathname.replace(/\/$/, "");

const BROWSER: BoundaryRules = {
  folders: ["islands/", "lib/client/", "lib/shared/", "components/"],
  packages: [
    "preact",
    "@preact/signals",
    "lightweight-charts",
    "d3-shape",
    "d3-scale",
    "d3-scale-chromatic",
    "fuzzysort",
  ],
};
const SHARED: BoundaryRules = { folders: ["lib/shared/"], packages: [] };

/**
 * Pure, dependency-free modules that islands still import from server folders. Each should move
 * to lib/shared/; until it does it is named here. An entry that no longer happens fails the test,
 * so this list can only shrink.
 */
const KNOWN: Record<string, string> = {
  "islands/PositionsTable.tsx → lib/broker/totals.ts": "portfolio totals, shared with the API",
  "lib/client/portfolio.ts → lib/broker/totals.ts": "the same totals, for the island's refresh",
  "islands/PriceChart.tsx → lib/analytics/indicators.ts": "SMA/EMA, shared with analytics",
  "islands/SplitDivider.tsx → lib/split.ts": "the split cookie rule, shared with the layout",
};

/** Source modules under `dir` (its subfolders too), tests left out. */
async function modulesIn(dir: string, keep: (name: string) => boolean): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(`${root}/${dir}`)) {
    if (e.isDirectory) out.push(...await modulesIn(`${dir}/${e.name}`, keep));
    else if (/\.tsx?$/.test(e.name) && !/_test\.tsx?$/.test(e.name) && keep(e.name)) {
      out.push(`${dir}/${e.name}`);
    }
  }
  return out.sort();
}

Deno.test("islands and lib/client ship no server modules and only the browser packages", async () => {
  const islands = await modulesIn("islands", () => true);
  // Underscored lib/client files are test fixtures, never imported by an island.
  const client = await modulesIn("lib/client", (n) => !n.startsWith("_"));
  ok(islands.length >= 5 && client.length >= 5, "the entry modules are found");
  ok(client.includes("lib/client/order_ticket/ReviewPanel.tsx"), "subfolders are read too");
  const entries = [...islands, ...client];
  const crossings = findCrossings(await browserImportGraph(root, entries), entries, BROWSER);

  const known = new Set<string>();
  const unexpected: string[] = [];
  for (const c of crossings) {
    const key = `${c.entry} → ${c.module}`;
    if (key in KNOWN) known.add(key);
    else unexpected.push(describeCrossing(c));
  }
  deepEqual(unexpected, [], `Server code would ship to the browser:\n${unexpected.join("\n")}`);
  const moved = Object.keys(KNOWN).filter((k) => !known.has(k));
  deepEqual(moved, [], "These crossings are gone: remove them from KNOWN in this test");
});

Deno.test("lib/shared imports only lib/shared: no zod, no server code, no packages", async () => {
  const entries = await modulesIn("lib/shared", () => true);
  ok(entries.includes("lib/shared/ticker.ts"));
  const crossings = findCrossings(await browserImportGraph(root, entries), entries, SHARED);
  deepEqual(crossings.map(describeCrossing), []);
});

Deno.test("the check names the island, the chain and the module; type imports pass", async () => {
  const dir = "tests/testdata/boundary";
  const entries = [`${dir}/islands/Clean.tsx`, `${dir}/islands/Leaky.tsx`];
  const rules = { ...BROWSER, folders: [...BROWSER.folders, `${dir}/`] };
  const crossings = findCrossings(await browserImportGraph(root, entries), entries, rules);
  // Clean's type import of lib/broker and Leaky's of lib/db are erased: only the helper's
  // value import of the database code is reported, with the chain that leads to it.
  deepEqual(crossings, [{
    entry: `${dir}/islands/Leaky.tsx`,
    chain: [`${dir}/islands/Leaky.tsx`, `${dir}/islands/leaky_helper.ts`],
    module: "lib/db/codec.ts",
  }]);
  equal(
    describeCrossing(crossings[0]),
    `${dir}/islands/Leaky.tsx ships lib/db/codec.ts, outside the browser boundary: ` +
      `${dir}/islands/Leaky.tsx → ${dir}/islands/leaky_helper.ts → lib/db/codec.ts`,
  );

  const shared = [`${dir}/shared/with_zod.ts`];
  const zod = findCrossings(await browserImportGraph(root, shared), shared, {
    folders: [`${dir}/shared/`],
    packages: [],
  });
  deepEqual(zod.map((c) => c.module), ["zod"]);
});
