import assert from "node:assert/strict";
import { Hono } from "hono";
import { z } from "zod";
import { Validator } from "@seriousme/openapi-schema-validator";
import { describeRoutes } from "./registry.ts";
import { documentedOperations, openApiDocument, openApiPath } from "./document.ts";

function fixture() {
  const router = new Hono();
  const body = z.strictObject({ name: z.string().min(1).max(10), size: z.number().default(1) });
  describeRoutes(router, "Things", {
    "GET /": {
      summary: "List",
      query: z.object({ limit: z.coerce.number().int().min(1).max(50).default(20), q: z.string() }),
    },
    "POST /:id{[0-9]+}/parts": {
      summary: "Add a part",
      params: { id: z.coerce.number().int().positive() },
      body,
      example: { name: "bolt" },
      responses: { 201: "`{ part }`", 404: "No such thing" },
    },
    "GET /public": { summary: "Open to all", access: "public" },
    "DELETE /:id": { summary: "Remove", access: "admin", responses: { 204: "Gone" } },
  });
  return router;
}

Deno.test("openApiPath: Hono parameters (with their regexes) become {name}", () => {
  assert.deepEqual(openApiPath("/api/x/:id{[0-9]+}/y/:symbol"), {
    path: "/api/x/{id}/y/{symbol}",
    params: ["id", "symbol"],
  });
  assert.deepEqual(openApiPath("/api/health"), { path: "/api/health", params: [] });
});

Deno.test("the document lists each declared operation under its mount, as Hono merges paths", () => {
  const mounts = [{ file: "./routes/api/things.ts", prefix: "/api/things", router: fixture() }];
  assert.deepEqual(
    documentedOperations(mounts).map((o) => `${o.method} ${o.path}`),
    [
      "GET /api/things",
      "POST /api/things/:id{[0-9]+}/parts",
      "GET /api/things/public",
      "DELETE /api/things/:id",
    ],
  );
  const doc = openApiDocument(mounts, { version: "1.2.3" });
  assert.deepEqual(Object.keys(doc.paths), [
    "/api/things",
    "/api/things/{id}/parts",
    "/api/things/public",
    "/api/things/{id}",
  ]);

  const list = doc.paths["/api/things"].get;
  assert.deepEqual(
    list.parameters.map((p: { name: string; required: boolean }) => [p.name, p.required]),
    [
      ["limit", false],
      ["q", true],
    ],
  );
  assert.equal(list.parameters[0].schema.default, 20);
  assert.ok(list.responses["400"], "a query is validated: 400 is documented");
  assert.ok(list.responses["401"], "signed-in by default");

  const add = doc.paths["/api/things/{id}/parts"].post;
  assert.deepEqual(add.parameters[0], {
    name: "id",
    in: "path",
    required: true,
    schema: { type: "integer", exclusiveMinimum: 0, maximum: Number.MAX_SAFE_INTEGER },
  });
  const json = add.requestBody.content["application/json"];
  assert.equal(add.requestBody.required, true, "{} is not a valid body");
  assert.deepEqual(json.schema.required, ["name"], "input side: the defaulted field is optional");
  assert.deepEqual(json.example, { name: "bolt" });
  assert.deepEqual(Object.keys(add.responses), ["201", "400", "401", "404", "default"]);

  assert.deepEqual(doc.paths["/api/things/public"].get.security, []);
  assert.equal(doc.paths["/api/things/public"].get.responses["401"], undefined);
  const del = doc.paths["/api/things/{id}"].delete;
  assert.equal(del["x-paiid-access"], "admin");
  assert.ok(del.responses["403"]);
  assert.equal(del.responses["204"].content, undefined, "204 has no body");
  assert.deepEqual(del.parameters[0].schema, { type: "string" }, "undeclared: a string");
});

Deno.test("the document is valid OpenAPI 3.1", async () => {
  const mounts = [{ file: "./routes/api/things.ts", prefix: "/api/things", router: fixture() }];
  const validator = new Validator();
  const result = await validator.validate(openApiDocument(mounts, { version: "1.0.0" }));
  assert.equal(validator.version, "3.1");
  assert.deepEqual(result.errors ?? [], []);
  assert.equal(result.valid, true);
});

Deno.test("a params entry naming no path parameter is an error at build time", () => {
  const router = new Hono();
  describeRoutes(router, "X", { "GET /:id": { summary: "x", params: { ids: z.string() } } });
  assert.throws(
    () => openApiDocument([{ file: "x.ts", prefix: "/api/x", router }], { version: "1" }),
    /the path has no :ids/,
  );
});

Deno.test("two routers describing one operation is an error", () => {
  const a = new Hono();
  const b = new Hono();
  describeRoutes(a, "A", { "GET /y": { summary: "a" } });
  describeRoutes(b, "B", { "GET /": { summary: "b" } });
  assert.throws(
    () =>
      openApiDocument([
        { file: "a.ts", prefix: "/api/x", router: a },
        { file: "b.ts", prefix: "/api/x/y", router: b },
      ], { version: "1" }),
    /described by two routers/,
  );
});
