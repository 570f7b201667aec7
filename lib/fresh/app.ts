/**
 * Mounts a Fresh-style project on a Hono app: `static/` files, island bundles, `_middleware`
 * chains, pages (with handlers, layouts and `_app`) and `routes/api/*` routers.
 */
import type { Context, Hono } from "hono";
import { h } from "preact";
import { registerIsland } from "./islands.ts";
import { injectIslandScripts, renderDocument } from "./render.ts";
import { buildRouteTable, type PageRoute } from "./routes.ts";
import { fileResponse, type StaticFile } from "./static.ts";
import type { Bundle } from "./bundle.ts";
import { errorBody } from "../http/errors.ts";
import type {
  Handler,
  HandlerContext,
  Manifest,
  Method,
  MiddlewareContext,
  PageModule,
} from "./types.ts";

/** Hono variables the framework reads: `state` is the per-request state object. */
export type FreshEnv = { Variables: { state: Record<string, unknown> } };
// The framework only reads `state`; the app's own env type may carry more variables.
// deno-lint-ignore no-explicit-any
type AnyContext = Context<any>;

export interface FreshOptions {
  manifest: Manifest;
  bundle: Bundle;
  staticFiles: Map<string, StaticFile>;
}

export interface FreshPages {
  /** Renders `_404.tsx` (or a plain page) with status 404. */
  renderNotFound(c: AnyContext): Promise<Response>;
  /** Renders `_500.tsx` (or a plain page) with the given status. */
  renderError(c: AnyContext, status: number): Promise<Response>;
}

const METHODS: Method[] = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];
const IMMUTABLE = "public, max-age=31536000, immutable";
const REVALIDATE = "public, max-age=0, must-revalidate";

/** `./islands/RadialMenu.tsx` → `RadialMenu`. */
export function islandName(file: string): string {
  const base = file.split("/").pop()!.replace(/\.(tsx|ts|jsx|js)$/, "");
  if (!/^[A-Z][A-Za-z0-9]*$/.test(base)) {
    throw new Error(`${file}: island file names must be PascalCase (like RadialMenu.tsx).`);
  }
  return base;
}

export function registerIslands(manifest: Manifest): void {
  for (const [file, mod] of Object.entries(manifest.islands)) {
    registerIsland(islandName(file), mod.default);
  }
}

/**
 * A middleware's context whose `url` and `params` are built on first use: API calls never read
 * them. A class, not an object literal with getters: a literal's accessors are made anew for
 * every request, which made the cached quote's chain about 20 µs slower (twice the GC).
 */
class LazyMiddlewareContext implements MiddlewareContext<Record<string, unknown>> {
  #c: AnyContext;
  #url: URL | undefined;
  #params: Record<string, string> | undefined;
  constructor(
    c: AnyContext,
    readonly state: Record<string, unknown>,
    readonly destination: "route" | "static",
    readonly next: () => Promise<Response>,
  ) {
    this.#c = c;
  }
  get url(): URL {
    return this.#url ??= new URL(this.#c.req.url);
  }
  get params(): Record<string, string> {
    return this.#params ??= this.#c.req.param() as Record<string, string>;
  }
}

// deno-lint-ignore no-explicit-any
export function mountFresh(app: Hono<any>, opts: FreshOptions): FreshPages {
  const { bundle, staticFiles } = opts;
  const table = buildRouteTable(opts.manifest);
  registerIslands(opts.manifest);

  const isStatic = (path: string) => staticFiles.has(path) || bundle.files.has(path);

  // Middleware first: outer folders before inner ones.
  for (const layer of table.middlewares) {
    // `/symbol/*` also matches `/symbol` itself; registering both would run the chain twice.
    const path = layer.prefix ? `${layer.prefix}/*` : "*";
    app.use(path, async (c, next) => {
      const state = c.get("state");
      let index = 0;
      let reachedNext = false;
      const run = async (): Promise<Response> => {
        const handler = layer.handlers[index++];
        if (!handler) {
          reachedNext = true;
          await next();
          return c.res;
        }
        return await handler(c.req.raw, ctx);
      };
      const ctx = new LazyMiddlewareContext(
        c,
        state,
        isStatic(c.req.path) ? "static" : "route",
        run,
      );
      const res = await run();
      if (!reachedNext) return res;
      if (res !== c.res) c.res = res;
    });
  }

  app.on(["GET", "HEAD"], "*", async (c, next) => {
    const built = bundle.files.get(c.req.path);
    if (built) {
      return fileResponse(
        c.req.raw,
        { ...built, type: "text/javascript; charset=utf-8" },
        IMMUTABLE,
      );
    }
    const file = staticFiles.get(c.req.path);
    if (file) return fileResponse(c.req.raw, file, REVALIDATE);
    await next();
  });

  for (const api of table.apis) {
    // deno-lint-ignore no-explicit-any
    app.route(api.pattern, api.module.default as any);
  }

  const renderPage = (
    c: AnyContext,
    route: Pick<PageRoute, "module" | "layouts" | "pattern">,
    data: unknown,
    init?: ResponseInit,
  ): Response => {
    const component = route.module.default;
    if (!component) throw new Error(`Route ${route.pattern} has no default component to render.`);
    const { html, islands } = renderDocument({
      page: component,
      layouts: route.layouts,
      app: table.app,
      props: {
        url: new URL(c.req.url),
        params: c.req.param() as Record<string, string>,
        state: c.get("state"),
        route: route.pattern,
        data,
      },
    });
    const headers = new Headers(init?.headers);
    if (!headers.has("Content-Type")) headers.set("Content-Type", "text/html; charset=utf-8");
    return new Response(injectIslandScripts(html, islands, bundle), {
      status: init?.status ?? 200,
      statusText: init?.statusText,
      headers,
    });
  };

  const special = (module: PageModule | undefined, fallback: string) => ({
    module: module ?? { default: () => h("main", null, h("h1", null, fallback)) },
    layouts: [],
    pattern: "",
  });

  const pages: FreshPages = {
    renderNotFound: (c) =>
      Promise.resolve(
        renderPage(c, special(table.notFound, "Not found"), undefined, { status: 404 }),
      ),
    // `_500.tsx` receives `{ status }` as its data, so it can word a 401 or a 429 as such.
    renderError: (c, status) =>
      Promise.resolve(
        renderPage(c, special(table.error, "Something went wrong"), { status }, { status }),
      ),
  };

  for (const route of table.pages) {
    const { handler } = route.module;
    const allowed = typeof handler === "function"
      ? METHODS
      : handler
      ? (Object.keys(handler) as Method[])
      : ["GET"];
    if (allowed.includes("GET") && !allowed.includes("HEAD")) allowed.push("HEAD");

    app.on(METHODS, route.pattern, async (c) => {
      const method = c.req.method as Method;
      const fn: Handler<unknown, Record<string, unknown>> | undefined =
        typeof handler === "function"
          ? handler
          : handler?.[method] ?? (method === "HEAD" ? handler?.GET : undefined);
      const ctx: HandlerContext<unknown, Record<string, unknown>> = {
        url: new URL(c.req.url),
        params: c.req.param() as Record<string, string>,
        state: c.get("state"),
        route: route.pattern,
        render: (data, init) => Promise.resolve(renderPage(c, route, data, init)),
        renderNotFound: () => pages.renderNotFound(c),
      };
      if (fn) return await fn(c.req.raw, ctx);
      if (!handler && (method === "GET" || method === "HEAD")) return await ctx.render(undefined);
      return c.json(
        errorBody("method_not_allowed", `${method} is not allowed here.`, {
          requestId: c.get("state")?.requestId,
        }),
        405,
        { Allow: allowed.join(", ") },
      );
    });
  }

  return pages;
}
