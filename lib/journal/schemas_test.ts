import { deepEqual, equal, ok } from "node:assert/strict";
import {
  createEntrySchema,
  exportQuerySchema,
  fillIdSchema,
  listQuerySchema,
  patchEntrySchema,
  saysSomething,
} from "./schemas.ts";

const ORDER = "0b6c4f0e-8a3e-4c59-9a55-3f1f4f1b2c3d";

Deno.test("an entry: defaults, trimmed text, tags lowercased once each, canonical symbol", () => {
  const e = createEntrySchema.parse({
    symbol: "aapl",
    why: "  breakout over the 20-day high  ",
    tags: ["Breakout", "breakout", "earnings-play"],
  });
  deepEqual(e, {
    symbol: "AAPL",
    why: "breakout over the 20-day high",
    plan: "",
    lesson: "",
    emotion: null,
    tags: ["breakout", "earnings-play"],
  });
  equal(createEntrySchema.parse({ orderId: ORDER, emotion: "calm" }).orderId, ORDER);
  equal(createEntrySchema.parse({ fillId: "42", plan: "hold" }).fillId, 42);
  equal(createEntrySchema.parse({ fillId: 42, plan: "hold" }).fillId, 42);
});

Deno.test("an entry is refused when it says nothing, links twice or breaks a rule", () => {
  const bad: unknown[] = [
    {},
    { why: "   " },
    { symbol: "AAPL" },
    { orderId: ORDER, fillId: "1", why: "x" },
    { orderId: "not-a-uuid", why: "x" },
    { fillId: "0", why: "x" },
    { fillId: "-3", why: "x" },
    { fillId: "1.5", why: "x" },
    { fillId: 2 ** 60, why: "x" },
    { why: "x", emotion: "euphoric" },
    { why: "x", tags: ["two words"] },
    { why: "x", tags: ["=cmd"] },
    { why: "x", tags: Array.from({ length: 11 }, (_, i) => `t${i}`) },
    { why: "x".repeat(4001) },
    { why: "x", symbol: "$$$" },
    { why: "x", extra: true },
    // Postgres text cannot hold NUL: stored, it was a 500.
    { why: "a\u0000b" },
    { why: "x", plan: "\u0000" },
    { why: "x", lesson: "p\u0000" },
  ];
  for (const body of bad) {
    ok(!createEntrySchema.safeParse(body).success, JSON.stringify(body).slice(0, 80));
  }
  // Ten tags is the most, and an emotion alone or a tag alone is a note.
  ok(createEntrySchema.safeParse({ tags: Array.from({ length: 10 }, (_, i) => `t${i}`) }).success);
  ok(createEntrySchema.safeParse({ emotion: "anxious" }).success);
});

Deno.test("a change names at least one field; the link is not among them", () => {
  ok(!patchEntrySchema.safeParse({}).success);
  ok(!patchEntrySchema.safeParse({ orderId: ORDER }).success);
  ok(!patchEntrySchema.safeParse({ symbol: "AAPL" }).success);
  deepEqual(patchEntrySchema.parse({ emotion: null }), { emotion: null });
  deepEqual(patchEntrySchema.parse({ tags: ["A", "a"] }), { tags: ["a"] });
  equal(saysSomething({ why: "", plan: "", lesson: "", emotion: null, tags: [] }), false);
  equal(saysSomething({ tags: ["x"] }), true);
});

Deno.test("list filters: a New York day, an instant, the page and its limits", () => {
  // 2024-03-10 is the day New York moves to summer time: 05:00Z opens it, 04:00Z the next.
  const q = listQuerySchema.parse({ from: "2024-03-10", to: "2024-03-10" });
  equal(q.from?.toISOString(), "2024-03-10T05:00:00.000Z");
  equal(q.to?.toISOString(), "2024-03-11T04:00:00.000Z");
  equal(q.limit, 50);
  const r = listQuerySchema.parse({
    from: "2024-01-02T14:30:00Z",
    to: "2024-01-02T10:00:00-05:00",
    before: "17",
    limit: "5",
    tag: "Swing",
    emotion: "greedy",
    symbol: "msft",
  });
  deepEqual(
    [r.from?.toISOString(), r.to?.toISOString(), r.before, r.limit, r.tag, r.symbol],
    ["2024-01-02T14:30:00.000Z", "2024-01-02T15:00:00.000Z", 17, 5, "swing", "MSFT"],
  );
  for (
    const bad of [
      { from: "2024-02-30" },
      { from: "yesterday" },
      { from: "2024-01-02T10:00:00" },
      { from: "2024-01-03", to: "2024-01-02" },
      // Year 0 reached Postgres (no year 0 there): a 500.
      { from: "0000-01-01T00:00:00Z" },
      { to: "0001-01-01T00:30:00+01:00" },
      // Date.UTC reads years 0-99 as 1900-1999, and the day after 9999-12-31 as 1909-12-01:
      // from=0099-12-31 meant 1999, to=9999-12-31 found nothing.
      { from: "0099-12-31" },
      { to: "9999-12-31" },
      { limit: "0" },
      { limit: "201" },
      { before: "abc" },
      { emotion: "happy" },
      { orderId: "1" },
      { page: "2" },
    ]
  ) ok(!listQuerySchema.safeParse(bad).success, JSON.stringify(bad));
  ok(!exportQuerySchema.safeParse({ limit: "5" }).success, "the export takes no page");
  equal(fillIdSchema.parse("9007199254740991"), Number.MAX_SAFE_INTEGER);
  ok(!fillIdSchema.safeParse("9007199254740993").success);
});
