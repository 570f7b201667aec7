import assert from "node:assert/strict";
import { Arena } from "./arena.ts";

Deno.test("arena views: aligned in any order, zeroed, apart, and fresh arrays past the room", () => {
  const a = new Arena({ f64: 5, i32: 3, u8: Arena.padded(3) + Arena.padded(4) });
  const b1 = a.u8(3);
  const f1 = a.f64(2);
  const i1 = a.i32(3);
  const f2 = a.f64(3);
  const b2 = a.u8(4);
  for (const v of [b1, f1, i1, f2, b2]) {
    assert.ok(v.every((x) => x === 0));
    assert.equal(v.buffer, f1.buffer, "one buffer");
  }
  assert.equal(b1.byteOffset % 4, 0, "byte views start on a word");
  assert.equal(b2.byteOffset % 4, 0);
  assert.equal(f2.byteOffset % 8, 0);
  f1.fill(1);
  f2.fill(2);
  i1.fill(-1);
  b1.fill(3);
  b2.fill(4);
  assert.deepEqual([...f1, ...f2], [1, 1, 2, 2, 2]);
  assert.deepEqual([...i1], [-1, -1, -1]);
  assert.deepEqual([...b1, ...b2], [3, 3, 3, 4, 4, 4, 4]);
  const more = a.f64(1);
  assert.notEqual(more.buffer, f1.buffer, "past its room the arena hands out a fresh array");
  assert.equal(more.length, 1);
});

Deno.test("every template's signals fit the arrays compile counts: one buffer per symbol", async () => {
  const { TEMPLATE_IDS, TEMPLATES } = await import("../strategy/templates.ts");
  const { resolveParams } = await import("../strategy/schema.ts");
  const { compile } = await import("./compile.ts");
  const { panelOf, walk } = await import("./testing.ts");
  let seed = 7;
  const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  const panel = panelOf({ AAA: walk(300, rand) });
  for (const id of TEMPLATE_IDS) {
    const compiled = compile(resolveParams(TEMPLATES[id].rules));
    const g = compiled.signals(panel, 0);
    const arrays = [g.entry, g.exit, g.shortEntry, g.shortExit, g.rank, g.atr, g.vol, ...g.operands]
      .filter((a) =>
        a !== null && !panel.close.includes(a as Float64Array) &&
        !panel.open.includes(a as Float64Array) && !panel.high.includes(a as Float64Array) &&
        !panel.low.includes(a as Float64Array) && !panel.volume.includes(a as Float64Array)
      );
    assert.ok(arrays.length > 0, id);
    const buffers = new Set(arrays.map((a) => a!.buffer));
    assert.equal(buffers.size, 1, `${id}: every output in the one buffer compile sized`);
  }
});
