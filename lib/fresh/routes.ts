/**
 * Turns the manifest's file paths into an ordered route table: pages, API routers, and the
 * `_app`, `_layout`, `_middleware`, `_404` and `_500` files that wrap them.
 */
import type {
  ApiModule,
  LayoutModule,
  Manifest,
  MiddlewareHandler,
  MiddlewareModule,
  PageModule,
} from "./types.ts";

export interface PageRoute {
  kind: "page";
  file: string;
  /** Hono pattern, e.g. `/symbol/:symbol`. */
  pattern: string;
  module: PageModule;
  /** Layout modules from the outermost folder inwards. */
  layouts: LayoutModule[];
}

export interface ApiRoute {
  kind: "api";
  file: string;
  /** Mount point of the router, e.g. `/api/health`. */
  pattern: string;
  module: ApiModule;
}

export interface MiddlewareLayer {
  /** Folder the middleware lives in, as a URL prefix: `` for routes/, `/symbol` for routes/symbol/. */
  prefix: string;
  handlers: MiddlewareHandler[];
}

export interface RouteTable {
  pages: PageRoute[];
  apis: ApiRoute[];
  middlewares: MiddlewareLayer[];
  app?: LayoutModule;
  notFound?: PageModule;
  error?: PageModule;
}

const EXT = /\.(tsx|ts|jsx|js)$/;

/** `./routes/symbol/[symbol].tsx` → [`symbol`, `[symbol]`]; route groups `(name)` drop out. */
function segmentsOf(file: string): string[] {
  return file.replace(/^\.\/routes\//, "").replace(EXT, "").split("/").filter((s) =>
    !/^\(.+\)$/.test(s)
  );
}

function toPattern(segments: string[]): string {
  const parts = segments.filter((s, i) => !(s === "index" && i === segments.length - 1)).map(
    (s) => {
      const rest = s.match(/^\[\.\.\.(\w+)\]$/);
      if (rest) return `:${rest[1]}{.+}`;
      return s.replace(/\[(\w+)\]/g, ":$1");
    },
  );
  return "/" + parts.join("/");
}

/** Folder of a `_layout`/`_middleware` file as a URL prefix (route groups removed). */
function folderPrefix(file: string): string {
  const segments = segmentsOf(file);
  segments.pop();
  return segments.length ? "/" + segments.join("/") : "";
}

/**
 * Rank of one pattern segment: static beats a parameter, a parameter beats a catch-all.
 * Routes are registered most specific first, because the router tries them in that order.
 */
function segmentRank(segment: string): number {
  if (segment.includes("{.+}")) return 2;
  if (segment.startsWith(":")) return 1;
  return 0;
}

export function compareSpecificity(a: string, b: string): number {
  const as = a.split("/").filter(Boolean);
  const bs = b.split("/").filter(Boolean);
  for (let i = 0; i < Math.min(as.length, bs.length); i++) {
    const diff = segmentRank(as[i]) - segmentRank(bs[i]);
    if (diff !== 0) return diff;
  }
  if (as.length !== bs.length) return as.length - bs.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

function isLayout(file: string): boolean {
  return /\/_layout\.(tsx|jsx|ts|js)$/.test(file);
}

export function buildRouteTable(manifest: Manifest): RouteTable {
  const table: RouteTable = { pages: [], apis: [], middlewares: [] };
  const layouts = new Map<string, LayoutModule>();

  for (const [file, mod] of Object.entries(manifest.routes)) {
    const name = file.split("/").pop()!.replace(EXT, "");
    if (file === "./routes/_app.tsx" || file === "./routes/_app.jsx") {
      table.app = mod as LayoutModule;
    } else if (name === "_404") table.notFound = mod as PageModule;
    else if (name === "_500") table.error = mod as PageModule;
    else if (name === "_middleware") {
      const { handler } = mod as MiddlewareModule;
      if (typeof handler !== "function" && !Array.isArray(handler)) {
        throw new Error(`${file} must export \`handler\` (a function or an array of functions).`);
      }
      table.middlewares.push({
        prefix: folderPrefix(file),
        handlers: Array.isArray(handler) ? handler : [handler],
      });
    } else if (isLayout(file)) layouts.set(folderPrefix(file), mod as LayoutModule);
    else if (name.startsWith("_")) {
      throw new Error(
        `${file}: unknown special file (expected _app, _layout, _middleware, _404, _500).`,
      );
    }
  }

  for (const [file, mod] of Object.entries(manifest.routes)) {
    const name = file.split("/").pop()!.replace(EXT, "");
    if (name.startsWith("_")) continue;
    const pattern = toPattern(segmentsOf(file));
    if (pattern === "/api" || pattern.startsWith("/api/")) {
      const api = mod as ApiModule;
      if (!api.default || typeof (api.default as { fetch?: unknown }).fetch !== "function") {
        throw new Error(`${file} must default-export a Hono router.`);
      }
      table.apis.push({ kind: "api", file, pattern, module: api });
      continue;
    }
    const page = mod as PageModule;
    if (!page.default && !page.handler) {
      throw new Error(`${file} must export a default component or a \`handler\`.`);
    }
    const chain: LayoutModule[] = [];
    if (!page.config?.skipInheritedLayouts) {
      const segments = segmentsOf(file);
      segments.pop();
      for (let i = 0; i <= segments.length; i++) {
        const prefix = i === 0 ? "" : "/" + segments.slice(0, i).join("/");
        const layout = layouts.get(prefix);
        if (layout) chain.push(layout);
      }
    }
    table.pages.push({ kind: "page", file, pattern, module: page, layouts: chain });
  }

  table.pages.sort((a, b) => compareSpecificity(a.pattern, b.pattern));
  table.apis.sort((a, b) => compareSpecificity(a.pattern, b.pattern));
  // Outer folders' middleware runs first.
  table.middlewares.sort((a, b) => a.prefix.length - b.prefix.length);
  return table;
}
