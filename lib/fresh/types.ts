/**
 * The types a route, layout, app wrapper or middleware file is written against.
 * They follow Fresh 1.x's names so a reader who knows Fresh knows these.
 */
import type { ComponentType } from "preact";
import type { Hono } from "hono";

/** Props every page component receives. */
export interface PageProps<Data = undefined, S = Record<string, unknown>> {
  url: URL;
  /** Values of the `[param]` segments of the matched route. */
  params: Record<string, string>;
  /** What the handler passed to `ctx.render(data)`; undefined without a handler. */
  data: Data;
  /** Request state set by `_middleware.ts` files. */
  state: S;
  /** The route pattern that matched, e.g. `/symbol/:symbol`. */
  route: string;
}

/** Props of `_layout.tsx` and `_app.tsx`: the page (or inner layout) to wrap, as `Component`. */
export interface LayoutProps<S = Record<string, unknown>> {
  Component: ComponentType<Record<string, never>>;
  url: URL;
  params: Record<string, string>;
  state: S;
  route: string;
}

export type AppProps<S = Record<string, unknown>> = LayoutProps<S>;

export interface HandlerContext<Data = undefined, S = Record<string, unknown>> {
  url: URL;
  params: Record<string, string>;
  state: S;
  route: string;
  /** Renders the route's page with `data` (wrapped in its layouts and `_app`). */
  render(data?: Data, init?: ResponseInit): Promise<Response>;
  /** Renders `_404.tsx` with status 404. */
  renderNotFound(): Promise<Response>;
}

export type Handler<Data = undefined, S = Record<string, unknown>> = (
  req: Request,
  ctx: HandlerContext<Data, S>,
) => Response | Promise<Response>;

export type Method = "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE" | "OPTIONS";

/** A page's `handler` export: one function per HTTP method. */
export type Handlers<Data = undefined, S = Record<string, unknown>> = Partial<
  Record<Method, Handler<Data, S>>
>;

export interface MiddlewareContext<S = Record<string, unknown>> {
  url: URL;
  params: Record<string, string>;
  state: S;
  /** "route" for pages and API routers, "static" for files and bundles. */
  destination: "route" | "static";
  next(): Promise<Response>;
}

export type MiddlewareHandler<S = Record<string, unknown>> = (
  req: Request,
  ctx: MiddlewareContext<S>,
) => Response | Promise<Response>;

/** A page module may export `config` to opt out of wrappers. */
export interface RouteConfig {
  /** Render without the `_layout.tsx` files of parent folders (the radial home, the login page). */
  skipInheritedLayouts?: boolean;
}

export interface PageModule {
  default?: ComponentType<PageProps<unknown, Record<string, unknown>>>;
  handler?: Handlers<unknown, Record<string, unknown>> | Handler<unknown, Record<string, unknown>>;
  config?: RouteConfig;
}

export interface LayoutModule {
  default: ComponentType<LayoutProps>;
}

export interface MiddlewareModule {
  handler: MiddlewareHandler | MiddlewareHandler[];
}

/** `routes/api/<name>.ts` default-exports a Hono router, mounted at `/api/<name>`. */
export interface ApiModule {
  // deno-lint-ignore no-explicit-any
  default: Hono<any>;
}

export interface IslandModule {
  // deno-lint-ignore no-explicit-any
  default: ComponentType<any>;
}

/** The generated `fresh.gen.ts`: every route and island module, keyed by path. */
export interface Manifest {
  routes: Record<string, unknown>;
  islands: Record<string, IslandModule>;
  baseUrl: string;
}

/** `fresh.config.ts`: where the framework finds static files and the prebuilt bundle. */
export interface FreshConfig {
  /** Folder of static files, relative to the project root. Default `static`. */
  staticDir?: string;
  /** Folder `deno task build` writes the island bundle to. Default `_fresh`. */
  snapshotDir?: string;
}
