import assert from "node:assert/strict";
import { z } from "zod";
import { describeRoutes, parseOperationKey, routerDocs } from "./registry.ts";

Deno.test("operation keys are the method in capitals and the router's path", () => {
  assert.deepEqual(parseOperationKey("POST /:id/symbols"), {
    method: "POST",
    path: "/:id/symbols",
  });
  for (const bad of ["post /", "GET", "GET  /", "HEAD /", "GET x"]) {
    assert.throws(() => parseOperationKey(bad), /not an operation key/, bad);
  }
});

Deno.test("describeRoutes keeps each router's operations, in order, and adds to them", () => {
  const router = {};
  const body = z.object({ a: z.string() });
  describeRoutes(router, "Things", {
    "GET /": { summary: "list" },
    "POST /": { summary: "add", body },
  });
  describeRoutes(router, "Things", { "DELETE /:id": { summary: "remove" } });
  const docs = routerDocs(router)!;
  assert.equal(docs.tag, "Things");
  assert.deepEqual([...docs.operations.keys()], ["GET /", "POST /", "DELETE /:id"]);
  assert.equal(docs.operations.get("POST /")!.body, body, "the very schema object");
  assert.equal(routerDocs({}), undefined);
});

Deno.test("describing an operation twice is an error", () => {
  const router = {};
  describeRoutes(router, "Things", { "GET /": { summary: "list" } });
  assert.throws(
    () => describeRoutes(router, "Things", { "GET /": { summary: "again" } }),
    /"GET \/" is described twice/,
  );
});
