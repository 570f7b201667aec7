import assert from "node:assert/strict";
import { Hono } from "hono";
import type { AppEnv } from "../state.ts";
import { HttpError } from "../http/errors.ts";
import { jsonBody } from "./guards.ts";

const app = new Hono<AppEnv>();
app.post("/", async (c) => c.json({ body: await jsonBody(c) }));
app.onError((err, c) =>
  err instanceof HttpError
    ? c.json({ code: err.code }, err.status as 400)
    : c.json({ code: "crash" }, 500)
);

const post = async (body: string) => {
  const res = await app.request("/", { method: "POST", body });
  return { status: res.status, json: await res.json() };
};

Deno.test("jsonBody: parses JSON, {} for an empty body, 400 invalid_json otherwise", async () => {
  assert.deepEqual(await post('{"a":[1,"x"]}'), { status: 200, json: { body: { a: [1, "x"] } } });
  assert.deepEqual(await post("  "), { status: 200, json: { body: {} } });
  assert.deepEqual(await post("{nope"), { status: 400, json: { code: "invalid_json" } });
});

Deno.test("jsonBody: a NUL in any string or key is 400 nul_character, not a database 500", async () => {
  for (const body of ['{"why":"a\\u0000b"}', '{"x":{"y":["\\u0000"]}}', '{"k\\u0000":1}']) {
    assert.deepEqual(await post(body), { status: 400, json: { code: "nul_character" } }, body);
  }
  // A backslash the user typed before "u0000" is text, not a NUL.
  assert.deepEqual(await post('{"why":"\\\\u0000"}'), {
    status: 200,
    json: { body: { why: "\\u0000" } },
  });
});
