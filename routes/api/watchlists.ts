/**
 * `/api/watchlists`: the caller's named watchlists (lib/watchlists/repo.ts).
 *
 * - `GET /` → `{ watchlists }`, the default first; `GET /:id` → `{ watchlist }`
 * - `POST /` `{ name, symbols? }` → 201; the first list is the default
 * - `PATCH /:id` `{ name?, symbols? }`: rename, or replace the symbols in the given order
 *   (reordering is sending them in the new order)
 * - `POST /:id/symbols` `{ symbol }` adds one at the end; `DELETE /:id/symbols/:symbol`
 * - `DELETE /:id`
 *
 * Symbols are canonicalised and must be known to the market data (422 `unknown_symbols`, each
 * with its reason); at most 20 lists of 100 symbols (422 `watchlist_limit`). Another user's
 * list is a 404.
 */
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../lib/state.ts";
import { jsonBody, requireUser } from "../../lib/auth/guards.ts";
import { HttpError, NotFoundError } from "../../lib/http/errors.ts";
import { symbolSchema } from "../../lib/market/symbols.ts";
import { requireKnownSymbols } from "../../lib/market/known_symbols.ts";
import {
  createWatchlist,
  deleteWatchlist,
  getWatchlist,
  listWatchlists,
  MAX_SYMBOLS,
  updateWatchlist,
  type Watchlist,
  WatchlistLimitError,
} from "../../lib/watchlists/repo.ts";
import { describeRoutes } from "../../lib/http/openapi/mod.ts";

const name = z.string().trim().min(1).max(64);
const symbols = z.array(symbolSchema).max(MAX_SYMBOLS, `At most ${MAX_SYMBOLS} symbols.`)
  .transform((list) => [...new Set(list)]);
const createSchema = z.strictObject({ name, symbols: symbols.default([]) });
const patchSchema = z.strictObject({ name: name.optional(), symbols: symbols.optional() });
const addSchema = z.strictObject({ symbol: symbolSchema });
const idSchema = z.coerce.number().int().positive().max(2 ** 53 - 1);

function listId(raw: string): number {
  const parsed = idSchema.safeParse(raw);
  if (!parsed.success) throw new NotFoundError("No such watchlist.");
  return parsed.data;
}

async function limited<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof WatchlistLimitError) {
      throw new HttpError(422, "watchlist_limit", err.message);
    }
    throw err;
  }
}

const watchlists = new Hono<AppEnv>();

const listParams = { id: idSchema };
describeRoutes(watchlists, "Watchlists", {
  "GET /": {
    summary: "The caller's watchlists, the default first",
    responses: { 200: "`{ watchlists }`" },
  },
  "GET /:id": {
    summary: "One watchlist",
    params: listParams,
    responses: { 200: "`{ watchlist }`", 404: "Not the caller's" },
  },
  "POST /": {
    summary: "Create a watchlist (the first one is the default)",
    body: createSchema,
    example: { name: "Tech", symbols: ["AAPL", "MSFT"] },
    responses: { 201: "`{ watchlist }`", 422: "`unknown_symbols`, `watchlist_limit`" },
  },
  "PATCH /:id": {
    summary: "Rename, or replace the symbols in the given order",
    params: listParams,
    body: patchSchema,
    example: { name: "Megacaps", symbols: ["MSFT", "AAPL"] },
    responses: {
      200: "`{ watchlist }`",
      404: "Not the caller's",
      422: "`unknown_symbols`, `watchlist_limit`",
    },
  },
  "POST /:id/symbols": {
    summary: "Add a symbol at the end",
    params: listParams,
    body: addSchema,
    example: { symbol: "KO" },
    responses: { 200: "`{ watchlist }`", 404: "Not the caller's", 422: "`unknown_symbols`" },
  },
  "DELETE /:id/symbols/:symbol": {
    summary: "Remove a symbol",
    params: { ...listParams, symbol: symbolSchema },
    responses: { 200: "`{ watchlist }`", 404: "Not the caller's" },
  },
  "DELETE /:id": {
    summary: "Delete a watchlist",
    params: listParams,
    responses: { 204: "Deleted", 404: "Not the caller's" },
  },
});

watchlists.get("/", async (c) => {
  const user = requireUser(c);
  return c.json({ watchlists: await listWatchlists(c.get("services").db, user.id) });
});

watchlists.get("/:id", async (c) => {
  const user = requireUser(c);
  const list = await getWatchlist(c.get("services").db, user.id, listId(c.req.param("id")));
  if (!list) throw new NotFoundError("No such watchlist.");
  return c.json({ watchlist: list });
});

watchlists.post("/", async (c) => {
  const user = requireUser(c);
  const input = createSchema.parse(await jsonBody(c));
  const services = c.get("services");
  await requireKnownSymbols(services, input.symbols);
  const list = await limited(() =>
    services.db.transaction((tx) => createWatchlist(tx, user.id, input.name, input.symbols))
  );
  return c.json({ watchlist: list }, 201);
});

watchlists.patch("/:id", async (c) => {
  const user = requireUser(c);
  const id = listId(c.req.param("id"));
  const change = patchSchema.parse(await jsonBody(c));
  const services = c.get("services");
  if (change.symbols) await requireKnownSymbols(services, change.symbols);
  const list = await limited(() =>
    services.db.transaction((tx) => updateWatchlist(tx, user.id, id, change))
  );
  if (!list) throw new NotFoundError("No such watchlist.");
  return c.json({ watchlist: list });
});

watchlists.post("/:id/symbols", async (c) => {
  const user = requireUser(c);
  const id = listId(c.req.param("id"));
  const { symbol } = addSchema.parse(await jsonBody(c));
  const services = c.get("services");
  await requireKnownSymbols(services, [symbol]);
  const list = await limited(() =>
    services.db.transaction(async (tx): Promise<Watchlist | null> => {
      const current = await getWatchlist(tx, user.id, id);
      if (!current || current.symbols.includes(symbol)) return current;
      return await updateWatchlist(tx, user.id, id, { symbols: [...current.symbols, symbol] });
    })
  );
  if (!list) throw new NotFoundError("No such watchlist.");
  return c.json({ watchlist: list });
});

watchlists.delete("/:id/symbols/:symbol", async (c) => {
  const user = requireUser(c);
  const id = listId(c.req.param("id"));
  const symbol = symbolSchema.parse(c.req.param("symbol"));
  const list = await c.get("services").db.transaction(async (tx) => {
    const current = await getWatchlist(tx, user.id, id);
    if (!current) return null;
    return await updateWatchlist(tx, user.id, id, {
      symbols: current.symbols.filter((s) => s !== symbol),
    });
  });
  if (!list) throw new NotFoundError("No such watchlist.");
  return c.json({ watchlist: list });
});

watchlists.delete("/:id", async (c) => {
  const user = requireUser(c);
  if (!await deleteWatchlist(c.get("services").db, user.id, listId(c.req.param("id")))) {
    throw new NotFoundError("No such watchlist.");
  }
  return c.body(null, 204);
});

export default watchlists;
