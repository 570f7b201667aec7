import assert from "node:assert/strict";
import { z } from "zod";
import type { Services } from "../../services.ts";
import { capOutput, defineTool, ToolError, ToolRegistry } from "./registry.ts";

const ctx = { services: {} as Services, userId: 7 };

const echo = defineTool({
  name: "echo",
  description: "Echoes a symbol back with the caller's user id.",
  input: z.object({ symbol: z.string().min(1).max(10) }),
  run: ({ symbol }, { userId }) =>
    Promise.resolve({ source: "test", asOf: "2024-01-02T15:30:00.000Z", data: { symbol, userId } }),
});
const failing = defineTool({
  name: "failing",
  description: "Always refuses.",
  input: z.object({}),
  run: () => Promise.reject(new ToolError("No such position.")),
});
const crashing = defineTool({
  name: "crashing",
  description: "Throws an unexpected error.",
  input: z.object({}),
  run: () => Promise.reject(new Error("connection string postgres://secret@db")),
});

Deno.test("a tool runs with the caller's user id and reports its source and time", async () => {
  const call = await new ToolRegistry([echo]).call("c1", "echo", { symbol: "AAPL" }, ctx);
  assert.equal(call.ok, true);
  assert.deepEqual(call.output, { symbol: "AAPL", userId: 7 });
  assert.equal(call.source, "test");
  assert.equal(call.asOf, "2024-01-02T15:30:00.000Z");
});

Deno.test("bad input, unknown tools and failures come back as readable errors", async () => {
  const tools = new ToolRegistry([echo, failing, crashing]);
  const bad = await tools.call("c1", "echo", { symbol: "" }, ctx);
  assert.equal(bad.ok, false);
  assert.match(bad.error!, /Invalid input/);
  assert.match((await tools.call("c2", "nope", {}, ctx)).error!, /no tool named nope/);
  assert.equal((await tools.call("c3", "failing", {}, ctx)).error, "No such position.");
  // An unexpected error's message may carry internals: the model gets a generic sentence.
  const crashed = await tools.call("c4", "crashing", {}, ctx);
  assert.equal(crashed.ok, false);
  assert.doesNotMatch(crashed.error!, /secret/);
});

Deno.test("definitions are JSON Schema objects without the $schema key", () => {
  const [def] = new ToolRegistry([echo]).definitions();
  assert.equal(def.name, "echo");
  assert.equal(def.input_schema.type, "object");
  assert.equal("$schema" in def.input_schema, false);
  assert.deepEqual(def.input_schema.required, ["symbol"]);
});

Deno.test("a tool registered twice or with a bad name is refused", () => {
  assert.throws(() => new ToolRegistry([echo, echo]), /twice/);
  assert.throws(() => new ToolRegistry([{ ...echo, name: "Bad Name" }]), /bad tool name/);
});

Deno.test("large results are cut and say so", () => {
  const big = { rows: Array.from({ length: 5000 }, (_, i) => i) };
  const capped = capOutput(big, 1000) as { truncated: boolean; json: string };
  assert.equal(capped.truncated, true);
  assert.equal(capped.json.length, 1000);
  assert.deepEqual(capOutput({ a: 1 }, 1000), { a: 1 });
});
