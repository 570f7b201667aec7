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

Deno.test("a released buffer goes to the next take of its size: views detached, then zeroed", () => {
  const size = { f64: 5, i32: 2, u8: Arena.padded(5) };
  const a = Arena.take(size);
  const f = a.f64(4); // one element of room left, for after the release
  const i = a.i32(2);
  const b = a.u8(5);
  f.fill(7);
  i.fill(7);
  b.fill(7);
  const other = Arena.take(size);
  assert.notEqual(other.f64(1).buffer, f.buffer, "two arenas taken at once never share a buffer");
  const before = Arena.pooled();
  a.release();
  a.release();
  assert.equal(Arena.pooled(), before + 1, "a second release gives nothing back twice");
  assert.deepEqual([f.length, i.length, b.length], [0, 0, 0], "the run's views read as empty");
  const again = Arena.take(size);
  assert.equal(Arena.pooled(), before);
  const zeroed = again.f64(2);
  const kept = again.f64(2, false);
  assert.deepEqual([...zeroed], [0, 0]);
  assert.deepEqual([...kept], [7, 7], "not cleared when the caller writes every element");
  assert.deepEqual([...again.i32(2)], [0, 0]);
  assert.deepEqual([...again.u8(5)], [0, 0, 0, 0, 0]);
  assert.throws(() => a.f64(1), TypeError, "a released arena hands out nothing");
  again.release();
  other.release();
});
