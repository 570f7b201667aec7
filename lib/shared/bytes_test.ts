import { deepEqual } from "node:assert/strict";
import { concatBytes } from "./bytes.ts";

Deno.test("concatBytes joins parts in order, views at their offsets included", () => {
  const backing = new Uint8Array([9, 9, 3, 4, 9]);
  deepEqual(
    concatBytes([new Uint8Array([1, 2]), backing.subarray(2, 4), new Uint8Array(0)]),
    new Uint8Array([1, 2, 3, 4]),
  );
  deepEqual(concatBytes([]), new Uint8Array(0));
});
