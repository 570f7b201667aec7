import { deepEqual } from "node:assert/strict";
import { computeWedges } from "./wedges_gen.ts";
import { WEDGES } from "./wedges.ts";

Deno.test("wedges: the written table is what d3-shape computes for today's stages", () => {
  deepEqual(WEDGES, computeWedges(), "stale: run deno run -A lib/client/radial/wedges_gen.ts");
});
