/**
 * Where each API router declares its operations for the OpenAPI document (document.ts) and the
 * docs page (page.tsx). A router lists every route it registers, keyed `"METHOD /path"` exactly
 * as it registers it, with the SAME zod schemas its handlers validate with:
 *
 * ```ts
 * const watchlists = new Hono<AppEnv>();
 * describeRoutes(watchlists, "Watchlists", {
 *   "GET /": { summary: "The caller's watchlists", responses: { 200: "`{ watchlists }`" } },
 *   "POST /": {
 *     summary: "Create a watchlist",
 *     body: createSchema,                      // what `createSchema.parse(await jsonBody(c))` reads
 *     example: { name: "Tech", symbols: ["AAPL"] },
 *     responses: { 201: "`{ watchlist }`", 422: "`unknown_symbols`, `watchlist_limit`" },
 *   },
 * });
 * ```
 *
 * tests/openapi_test.ts holds every router to this: a registered route missing here fails it,
 * and so does a documented `body` or `query` that answers a request differently from the route.
 */
import type { z } from "zod";

export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type HttpMethod = typeof HTTP_METHODS[number];

/** `"POST /:id/symbols"`: the method and the path as the router registers it. */
export type OperationKey = `${HttpMethod} /${string}`;

/** Who may call an operation. */
export type Access =
  /** Anyone; the operation authenticates by its body or needs nothing. */
  | "public"
  /** A signed-in user (session or API token). The default. */
  | "user"
  /** An admin user or the operator token. */
  | "admin";

export interface ResponseDoc {
  description: string;
  /** Default `application/json` (none for 204). */
  contentType?: string;
  /** The body's schema, when a zod schema describes it. */
  schema?: z.ZodType;
}

export interface OperationDoc {
  /** One line: what the operation does. */
  summary: string;
  /** More words, Markdown. */
  description?: string;
  /** Path parameter → the schema its handler checks it with; one left out is a plain string. */
  params?: Record<string, z.ZodType>;
  /** Query parameters: an object schema, the one the handler parses `c.req.query()` with. */
  query?: z.ZodType;
  /** A query the `query` schema accepts: shown in the docs, and sent by the completeness test. */
  queryExample?: Record<string, string>;
  /** The JSON body: the schema the handler parses `await jsonBody(c)` with. */
  body?: z.ZodType;
  /**
   * A body the `body` schema accepts. Needed when `{}` is not one; shown in the docs, and the
   * completeness test sends it and variants of it.
   */
  example?: unknown;
  /** Status → description (or the full response). Default `{ 200: "OK" }`. */
  responses?: Record<number, string | ResponseDoc>;
  /** Default `"user"`. */
  access?: Access;
}

export interface RouterDocs {
  /** The group the operations appear under, e.g. "Watchlists". */
  tag: string;
  operations: Map<OperationKey, OperationDoc>;
}

const KEY = /^(GET|POST|PUT|PATCH|DELETE) (\/\S*)$/;
const registry = new WeakMap<object, RouterDocs>();

/** Splits `"POST /:id/symbols"` into method and path. */
export function parseOperationKey(key: string): { method: HttpMethod; path: string } {
  const m = KEY.exec(key);
  if (!m) {
    throw new Error(
      `"${key}" is not an operation key: write the method in capitals, a space and the path ` +
        `as the router registers it, e.g. "GET /:id".`,
    );
  }
  return { method: m[1] as HttpMethod, path: m[2] };
}

/**
 * Declares `router`'s operations under `tag`. Calling it again for the same router adds to its
 * operations (a router built in pieces); declaring one operation twice is an error.
 */
export function describeRoutes(
  router: object,
  tag: string,
  operations: Partial<Record<OperationKey, OperationDoc>>,
): void {
  const docs = registry.get(router) ?? { tag, operations: new Map() };
  for (const [key, doc] of Object.entries(operations)) {
    parseOperationKey(key);
    if (!doc) continue;
    if (docs.operations.has(key as OperationKey)) {
      throw new Error(`${tag}: "${key}" is described twice.`);
    }
    docs.operations.set(key as OperationKey, doc);
  }
  registry.set(router, docs);
}

/** What `router` declared, or undefined when it declared nothing. */
export function routerDocs(router: object): RouterDocs | undefined {
  return registry.get(router);
}
