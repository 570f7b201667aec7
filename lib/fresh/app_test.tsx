import { deepEqual, equal, match, ok } from "node:assert/strict";
import { Hono } from "hono";
import { mountFresh } from "./app.ts";
import { type Bundle, bundleIslands } from "./bundle.ts";
import type { StaticFile } from "./static.ts";
import type { Handlers, LayoutProps, Manifest, MiddlewareHandler, PageProps } from "./types.ts";
import Counter from "./testdata/islands/Counter.tsx";
import Greeting from "./testdata/islands/Greeting.tsx";

type S = { trail: string[]; user?: string };

const root = new URL("../../", import.meta.url).pathname;
let bundlePromise: Promise<Bundle> | undefined;
function testBundle(): Promise<Bundle> {
  bundlePromise ??= bundleIslands({
    root,
    islands: {
      Counter: new URL("./testdata/islands/Counter.tsx", import.meta.url).pathname,
      Greeting: new URL("./testdata/islands/Greeting.tsx", import.meta.url).pathname,
    },
    basePath: "/_paiid/js",
  });
  return bundlePromise;
}

const App = ({ Component }: LayoutProps) => (
  <html>
    <head>
      <title>t</title>
    </head>
    <body>
      <Component />
    </body>
  </html>
);
const Layout = ({ Component, state }: LayoutProps<S>) => (
  <div class="layout" data-trail={state.trail.join(">")}>
    <Component />
  </div>
);
const SymbolLayout = ({ Component }: LayoutProps) => (
  <section class="symbol-layout">
    <Component />
  </section>
);

const rootMiddleware: MiddlewareHandler<S> = async (_req, ctx) => {
  ctx.state.trail = ["root"];
  const res = await ctx.next();
  res.headers.set("X-Root", ctx.destination);
  return res;
};
const symbolMiddleware: MiddlewareHandler<S> = (req, ctx) => {
  ctx.state.trail.push("symbol");
  if (new URL(req.url).searchParams.has("deny")) return new Response("denied", { status: 403 });
  return ctx.next();
};

const symbolHandler: Handlers<{ upper: string }, S> = {
  GET(_req, ctx) {
    if (ctx.params.symbol === "NOPE") return ctx.renderNotFound();
    return ctx.render({ upper: ctx.params.symbol.toUpperCase() }, { headers: { "X-Page": "1" } });
  },
  POST(req) {
    return new Response(`posted ${new URL(req.url).pathname}`, { status: 201 });
  },
};

const api = new Hono();
api.get("/", (c) => c.json({ ok: true }));
api.get("/:id", (c) => c.json({ id: c.req.param("id") }));

const manifest: Manifest = {
  baseUrl: new URL("../../", import.meta.url).href,
  islands: {
    "./islands/Counter.tsx": { default: Counter },
    "./islands/Greeting.tsx": { default: Greeting },
  },
  routes: {
    "./routes/_app.tsx": { default: App },
    "./routes/_layout.tsx": { default: Layout },
    "./routes/_middleware.ts": { handler: rootMiddleware },
    "./routes/_404.tsx": { default: () => <h1>nothing here</h1> },
    "./routes/index.tsx": {
      default: () => <Counter start={3} />,
      config: { skipInheritedLayouts: true },
    },
    "./routes/plain.tsx": { default: () => <p>no islands</p> },
    "./routes/two.tsx": {
      default: () => (
        <>
          <Greeting name="</script>" />
          <Counter start={1} />
        </>
      ),
    },
    "./routes/symbol/_layout.tsx": { default: SymbolLayout },
    "./routes/symbol/_middleware.ts": { handler: symbolMiddleware },
    "./routes/symbol/search.tsx": { default: () => <p>search page</p> },
    "./routes/symbol/index.tsx": { default: () => <p>symbol index</p> },
    "./routes/symbol/[symbol].tsx": {
      handler: symbolHandler,
      default: ({ data, params, route }: PageProps<{ upper: string }>) => (
        <p>
          {data.upper} {params.symbol} {route}
        </p>
      ),
    },
    "./routes/api/things.ts": { default: api },
  },
};

async function makeApp() {
  const bundle = await testBundle();
  const staticFiles = new Map<string, StaticFile>([["/hello.txt", {
    contents: new TextEncoder().encode("hi"),
    type: "text/plain; charset=utf-8",
    etag: '"abc"',
  }]]);
  const app = new Hono<{ Variables: { state: Record<string, unknown> } }>();
  app.use("*", async (c, next) => {
    c.set("state", {});
    await next();
  });
  const pages = mountFresh(app, { manifest, bundle, staticFiles });
  app.notFound((c) => pages.renderNotFound(c));
  return { app, bundle };
}

Deno.test("params, handler data, route pattern, response init and layouts reach the page", async () => {
  const { app } = await makeApp();
  const res = await app.request("/symbol/aapl");
  equal(res.status, 200);
  equal(res.headers.get("Content-Type"), "text/html; charset=utf-8");
  equal(res.headers.get("X-Page"), "1");
  const html = await res.text();
  match(html, /^<!DOCTYPE html><html>/);
  match(
    html,
    /<div class="layout" data-trail="root>symbol"><section class="symbol-layout"><p>AAPL aapl \/symbol\/:symbol<\/p><\/section><\/div>/,
  );
});

Deno.test("a static route wins over a parameter route", async () => {
  const { app } = await makeApp();
  match(await (await app.request("/symbol/search")).text(), /search page/);
});

Deno.test("handlers are per method; a missing one answers 405 with Allow", async () => {
  const { app } = await makeApp();
  const posted = await app.request("/symbol/msft", { method: "POST" });
  equal(posted.status, 201);
  equal(await posted.text(), "posted /symbol/msft");
  const del = await app.request("/symbol/msft", { method: "DELETE" });
  equal(del.status, 405);
  equal(del.headers.get("Allow"), "GET, POST, HEAD");
  const plain = await app.request("/plain", { method: "POST" });
  equal(plain.status, 405);
});

Deno.test("middleware runs outer first, can short-circuit, and can edit the response", async () => {
  const { app } = await makeApp();
  const denied = await app.request("/symbol/x?deny");
  equal(denied.status, 403);
  equal(await denied.text(), "denied");
  equal(denied.headers.get("X-Root"), "route");
  const file = await app.request("/hello.txt");
  equal(file.headers.get("X-Root"), "static");
});

Deno.test("a folder's middleware runs once, for the folder's own path and below", async () => {
  const { app } = await makeApp();
  for (const path of ["/symbol", "/symbol/aapl"]) {
    match(await (await app.request(path)).text(), /data-trail="root>symbol"/, path);
  }
  const search = await (await app.request("/symbol/search")).text();
  match(search, /search page/);
  equal((await app.request("/plain")).headers.get("X-Root"), "route");
});

Deno.test("a page without islands ships no script at all", async () => {
  const { app } = await makeApp();
  const html = await (await app.request("/plain")).text();
  equal(html.includes("<script"), false);
  equal(html.includes("modulepreload"), false);
  match(html, /<p>no islands<\/p>/);
});

Deno.test("a page with islands gets its props, one boot script and preloads for its islands only", async () => {
  const { app, bundle } = await makeApp();
  const html = await (await app.request("/")).text();
  match(
    html,
    /<paiid-island data-island="Counter" data-id="0"><button type="button">count 3<\/button><\/paiid-island>/,
  );
  const scripts = [...html.matchAll(/<script[^>]*>/g)].map((m) => m[0]);
  deepEqual(scripts, [
    '<script type="application/json" id="__paiid_islands">',
    `<script type="module" src="${bundle.boot}">`,
  ]);
  const data = JSON.parse(html.match(/id="__paiid_islands">(.*?)<\/script>/)![1]);
  deepEqual(data, { modules: { Counter: bundle.islands.Counter }, props: [{ start: 3 }] });
  ok(html.includes(`<link rel="modulepreload" href="${bundle.islands.Counter}">`));
  equal(html.includes(bundle.islands.Greeting), false);
});

Deno.test("props that look like markup stay inert inside the data script", async () => {
  const { app } = await makeApp();
  const html = await (await app.request("/two")).text();
  equal((html.match(/<\/script>/g) ?? []).length, 2);
  const data = JSON.parse(html.match(/id="__paiid_islands">(.*?)<\/script>/)![1]);
  deepEqual(data.props, [{ name: "</script>" }, { start: 1 }]);
});

Deno.test("bundles are served immutable and gzip when accepted; static files revalidate by ETag", async () => {
  const { app, bundle } = await makeApp();
  const js = await app.request(bundle.boot, { headers: { "Accept-Encoding": "gzip" } });
  equal(js.status, 200);
  equal(js.headers.get("Cache-Control"), "public, max-age=31536000, immutable");
  equal(js.headers.get("Content-Encoding"), "gzip");
  equal(js.headers.get("Content-Type"), "text/javascript; charset=utf-8");
  await js.body?.cancel();
  const file = await app.request("/hello.txt");
  equal(file.headers.get("ETag"), '"abc"');
  equal(await file.text(), "hi");
  const again = await app.request("/hello.txt", { headers: { "If-None-Match": '"abc"' } });
  equal(again.status, 304);
  equal(await again.text(), "");
});

Deno.test("API routers mount at /api/<name>", async () => {
  const { app } = await makeApp();
  deepEqual(await (await app.request("/api/things")).json(), { ok: true });
  deepEqual(await (await app.request("/api/things/7")).json(), { id: "7" });
});

Deno.test("unknown paths and ctx.renderNotFound render _404 with status 404", async () => {
  const { app } = await makeApp();
  for (const path of ["/nowhere", "/symbol/NOPE"]) {
    const res = await app.request(path);
    equal(res.status, 404);
    match(await res.text(), /<h1>nothing here<\/h1>/);
  }
});
