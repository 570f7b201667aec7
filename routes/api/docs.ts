/** `GET /api/docs`: the OpenAPI document as a readable page (lib/http/openapi/page.tsx). */
import { Hono } from "hono";
import type { AppEnv } from "../../lib/state.ts";
import { describeRoutes } from "../../lib/http/openapi/mod.ts";
import { appDocs } from "../../lib/http/openapi/app_document.ts";

const docs = new Hono<AppEnv>();

describeRoutes(docs, "Documentation", {
  "GET /": {
    summary: "The API documentation as an HTML page",
    responses: { 200: { description: "The page", contentType: "text/html" } },
  },
});

docs.get("/", async (c) => c.html((await appDocs()).html));

export default docs;
