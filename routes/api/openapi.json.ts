/** `GET /api/openapi.json`: the API's OpenAPI 3.1 document (lib/http/openapi/). */
import { Hono } from "hono";
import type { AppEnv } from "../../lib/state.ts";
import { describeRoutes } from "../../lib/http/openapi/mod.ts";
import { appDocs } from "../../lib/http/openapi/app_document.ts";

const openapi = new Hono<AppEnv>();

describeRoutes(openapi, "Documentation", {
  "GET /": {
    summary: "This document: every operation of the API, as OpenAPI 3.1",
    responses: { 200: "The OpenAPI document" },
  },
});

openapi.get("/", async (c) => c.json((await appDocs()).document));

export default openapi;
