import { deepEqual, equal, throws } from "node:assert/strict";
import { Hono } from "hono";
import { buildRouteTable, compareSpecificity } from "./routes.ts";
import type { Manifest } from "./types.ts";

const page = (name: string) => ({ default: () => name });
const manifest = (routes: Record<string, unknown>): Manifest => ({
  routes,
  islands: {},
  baseUrl: "file:///x/",
});

Deno.test("file paths become Hono patterns: index, params, catch-all, route groups", () => {
  const table = buildRouteTable(manifest({
    "./routes/index.tsx": page("home"),
    "./routes/about.tsx": page("about"),
    "./routes/symbol/[symbol].tsx": page("symbol"),
    "./routes/docs/[...path].tsx": page("docs"),
    "./routes/(stages)/risk.tsx": page("risk"),
    "./routes/users/[id]/trades/index.tsx": page("trades"),
    "./routes/api/health.ts": { default: new Hono() },
  }));
  deepEqual(
    table.pages.map((p) => p.pattern).sort(),
    ["/", "/about", "/docs/:path{.+}", "/risk", "/symbol/:symbol", "/users/:id/trades"],
  );
  deepEqual(table.apis.map((a) => a.pattern), ["/api/health"]);
});

Deno.test("routes are ordered static, then parameter, then catch-all, whatever the file order", () => {
  const table = buildRouteTable(manifest({
    "./routes/[...all].tsx": page("all"),
    "./routes/symbol/[symbol].tsx": page("symbol"),
    "./routes/symbol/search.tsx": page("search"),
    "./routes/[slug].tsx": page("slug"),
    "./routes/index.tsx": page("home"),
  }));
  deepEqual(table.pages.map((p) => p.pattern), [
    "/",
    "/symbol/search",
    "/symbol/:symbol",
    "/:slug",
    "/:all{.+}",
  ]);
  equal(compareSpecificity("/a/:b", "/a/c") > 0, true);
  equal(compareSpecificity("/:x{.+}", "/:y") > 0, true);
});

Deno.test("layouts wrap from the outermost folder inwards; skipInheritedLayouts opts out", () => {
  const root = { default: () => null };
  const inner = { default: () => null };
  const table = buildRouteTable(manifest({
    "./routes/_layout.tsx": root,
    "./routes/symbol/_layout.tsx": inner,
    "./routes/symbol/[symbol].tsx": page("symbol"),
    "./routes/positions.tsx": page("positions"),
    "./routes/index.tsx": { ...page("home"), config: { skipInheritedLayouts: true } },
  }));
  const byPattern = Object.fromEntries(table.pages.map((p) => [p.pattern, p.layouts]));
  deepEqual(byPattern["/symbol/:symbol"], [root, inner]);
  deepEqual(byPattern["/positions"], [root]);
  deepEqual(byPattern["/"], []);
});

Deno.test("special files are recognised and middleware is ordered outer first", () => {
  const outer = () => new Response("outer");
  const inner = () => new Response("inner");
  const table = buildRouteTable(manifest({
    "./routes/symbol/_middleware.ts": { handler: inner },
    "./routes/_middleware.ts": { handler: [outer] },
    "./routes/_app.tsx": { default: () => null },
    "./routes/_404.tsx": page("404"),
    "./routes/_500.tsx": page("500"),
  }));
  deepEqual(table.middlewares.map((m) => m.prefix), ["", "/symbol"]);
  equal(table.middlewares[0].handlers[0], outer);
  equal(typeof table.app?.default, "function");
  equal(typeof table.notFound?.default, "function");
  equal(typeof table.error?.default, "function");
  equal(table.pages.length, 0);
});

Deno.test("mistakes in route files are reported with the file name", () => {
  throws(
    () => buildRouteTable(manifest({ "./routes/api/x.ts": { default: () => null } })),
    /routes\/api\/x\.ts must default-export a Hono router/,
  );
  throws(
    () => buildRouteTable(manifest({ "./routes/empty.tsx": {} })),
    /routes\/empty\.tsx must export a default component or a `handler`/,
  );
  throws(
    () => buildRouteTable(manifest({ "./routes/_midleware.ts": { handler: () => null } })),
    /unknown special file/,
  );
  throws(
    () => buildRouteTable(manifest({ "./routes/_middleware.ts": {} })),
    /must export `handler`/,
  );
});
