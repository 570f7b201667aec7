import { deepEqual } from "node:assert/strict";
import { computeWedges } from "./radial_wedges_gen.ts";
import { WEDGES } from "./client/radial/wedges.ts";

Deno.test("wedges: the written table is what d3-shape computes for today's stages", () => {
  deepEqual(WEDGES, computeWedges(), "stale: run deno run -A lib/radial_wedges_gen.ts");
});
