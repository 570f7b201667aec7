import assert from "node:assert/strict";
import { Hono } from "hono";
import { z } from "zod";
import { describeRoutes } from "./registry.ts";
import { openApiDocument } from "./document.ts";
import { renderDocsPage } from "./page.tsx";
import { schemaText } from "./schema_text.ts";

Deno.test("schemaText: one line per schema, bounds and defaults included", () => {
  assert.equal(
    schemaText({ type: "integer", minimum: 1, maximum: 500, default: 100 }),
    "integer, 1 to 500, default 100",
  );
  assert.equal(schemaText({ type: "string", enum: ["open", "all"] }), '"open" | "all"');
  assert.equal(
    schemaText({ type: "array", items: { type: "string" }, maxItems: 50 }),
    "array of string, 0 to 50 items",
  );
  assert.equal(schemaText({ type: "number", exclusiveMinimum: 0 }), "number, > 0");
  assert.equal(
    schemaText({ type: "integer", minimum: -9007199254740991, maximum: 9007199254740991 }),
    "integer",
  );
  assert.equal(schemaText({ anyOf: [{ type: "string" }, { type: "null" }] }), "string | null");
  assert.equal(schemaText({}), "any");
});

Deno.test("the docs page shows every operation with its parameters, body, example and responses", () => {
  const router = new Hono();
  describeRoutes(router, "Alerts <x>", {
    "GET /": { summary: "List `alerts`", query: z.object({ limit: z.coerce.number().max(9) }) },
    "POST /": {
      summary: "Create",
      body: z.strictObject({ symbol: z.string().max(10) }),
      example: { symbol: "AAPL" },
      responses: { 201: "`{ alert }`", 422: "`alert_limit`" },
    },
    "GET /export.csv": {
      summary: "CSV",
      access: "public",
      responses: { 200: { description: "The file", contentType: "text/csv" } },
    },
  });
  const doc = openApiDocument([{ file: "a.ts", prefix: "/api/alerts", router }], {
    version: "9.9.9",
  });
  const html = renderDocsPage(doc);
  assert.match(html, /^<!DOCTYPE html><html lang="en">/);
  assert.ok(!html.includes("<script"), "no script");
  assert.match(html, /<link rel="stylesheet" href="\/styles.css"/);
  assert.match(html, /PaiiD API 9.9.9/);
  assert.match(html, /3 operations/);
  assert.match(html, /Alerts &lt;x>|Alerts &lt;x&gt;/, "text is escaped");
  assert.match(
    html,
    /<span class="api-method api-method--post">POST<\/span> <code>\/api\/alerts<\/code>/,
  );
  assert.match(html, /List <code>alerts<\/code>/);
  assert.match(html, /<code>limit<\/code><span class="api-required">required<\/span>/);
  assert.match(html, /number, ≤ 9/);
  assert.match(html, /string, 0 to 10 characters/);
  assert.match(html, /&quot;symbol&quot;: &quot;AAPL&quot;|"symbol": "AAPL"/);
  assert.match(html, /api-status--4">422<\/span><\/dt><dd><code>alert_limit<\/code>/);
  assert.match(html, /\(text\/csv\)/);
  assert.match(html, /<span class="api-access">public<\/span>/);
});
