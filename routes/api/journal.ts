/**
 * `/api/journal`: the caller's trading journal (lib/journal/).
 *
 * - `POST /` `{ orderId? | fillId?, symbol?, why?, plan?, emotion?, lesson?, tags? }` → 201
 *   `{ entry }`. An order or fill must be the caller's (404 otherwise, whoever else owns it);
 *   the entry takes its symbol (a different `symbol` is 422 `link_mismatch`), and a fill's entry
 *   its order too. `symbol` alone is a note on the position; nothing at all a free note.
 * - `GET /?symbol&tag&emotion&from&to&orderId&fillId&before&limit` → `{ entries, nextCursor }`,
 *   newest first; `before=<nextCursor>` reads the next page. `from`/`to` are New York days
 *   (`to` included) or ISO instants (`to` excluded).
 * - `GET /export.csv` with the same filters → every matching entry, oldest first, as CSV
 *   (cells a spreadsheet would run as formulas are defused; lib/journal/csv.ts).
 * - `GET /:id` → `{ entry }`; `PATCH /:id` `{ why?, plan?, emotion?, lesson?, tags? }` →
 *   `{ entry }` (the link stays as written); `DELETE /:id` → 204.
 *
 * Emotions: calm, confident, anxious, fearful, greedy, frustrated, neutral. Tags: at most 10
 * lowercase words. Another user's entry is a 404.
 */
import { Hono } from "hono";
import type { AppEnv } from "../../lib/state.ts";
import { jsonBody, requireUser } from "../../lib/auth/guards.ts";
import { BadRequestError, HttpError, NotFoundError } from "../../lib/http/errors.ts";
import {
  createEntrySchema,
  entryIdSchema,
  exportQuerySchema,
  listQuerySchema,
  patchEntrySchema,
  saysSomething,
} from "../../lib/journal/schemas.ts";
import {
  allEntries,
  createEntry,
  deleteEntry,
  getEntry,
  LinkMismatchError,
  LinkNotFoundError,
  listEntries,
  updateEntry,
} from "../../lib/journal/repo.ts";
import { journalCsv } from "../../lib/journal/csv.ts";
import { describeRoutes } from "../../lib/http/openapi/mod.ts";

function entryId(raw: string): number {
  const parsed = entryIdSchema.safeParse(raw);
  if (!parsed.success) throw new NotFoundError("No such journal entry.");
  return parsed.data;
}

const journal = new Hono<AppEnv>();

const entryParams = { id: entryIdSchema };
describeRoutes(journal, "Journal", {
  "POST /": {
    summary: "Write a journal entry, linked to an order, a fill, a position (symbol) or nothing",
    body: createEntrySchema,
    example: { symbol: "AAPL", why: "Breakout on volume", emotion: "calm", tags: ["breakout"] },
    responses: {
      201: "`{ entry }`",
      404: "The order or fill is not the caller's",
      422: "`link_mismatch`: the symbol contradicts the linked order or fill",
    },
  },
  "GET /": {
    summary: "The caller's entries, newest first, filtered, a page at a time",
    query: listQuerySchema,
    responses: { 200: "`{ entries, nextCursor }`" },
  },
  "GET /export.csv": {
    summary: "Every matching entry as CSV, oldest first (formula-like cells defused)",
    query: exportQuerySchema,
    responses: { 200: "text/csv" },
  },
  "GET /:id": {
    summary: "One entry",
    params: entryParams,
    responses: { 200: "`{ entry }`", 404: "Not the caller's" },
  },
  "PATCH /:id": {
    summary: "Edit an entry's content (the link stays as written)",
    params: entryParams,
    body: patchEntrySchema,
    example: { lesson: "Waited for the close; it paid." },
    responses: {
      200: "`{ entry }`",
      400: "The entry would say nothing",
      404: "Not the caller's",
    },
  },
  "DELETE /:id": {
    summary: "Delete an entry",
    params: entryParams,
    responses: { 204: "Deleted", 404: "Not the caller's" },
  },
});

journal.post("/", async (c) => {
  const user = requireUser(c);
  const input = createEntrySchema.parse(await jsonBody(c));
  try {
    const entry = await createEntry(c.get("services").db, user.id, input);
    return c.json({ entry }, 201);
  } catch (err) {
    if (err instanceof LinkNotFoundError) throw new NotFoundError(err.message);
    if (err instanceof LinkMismatchError) throw new HttpError(422, "link_mismatch", err.message);
    throw err;
  }
});

journal.get("/", async (c) => {
  const user = requireUser(c);
  const { before, limit, ...filter } = listQuerySchema.parse(c.req.query());
  return c.json(await listEntries(c.get("services").db, user.id, filter, { before, limit }));
});

journal.get("/export.csv", async (c) => {
  const user = requireUser(c);
  const filter = exportQuerySchema.parse(c.req.query());
  const entries = await allEntries(c.get("services").db, user.id, filter);
  c.header("Content-Type", "text/csv; charset=utf-8");
  c.header(
    "Content-Disposition",
    `attachment; filename="paiid-journal-${new Date().toISOString().slice(0, 10)}.csv"`,
  );
  return c.body(journalCsv(entries));
});

journal.get("/:id", async (c) => {
  const user = requireUser(c);
  const entry = await getEntry(c.get("services").db, user.id, entryId(c.req.param("id")));
  if (!entry) throw new NotFoundError("No such journal entry.");
  return c.json({ entry });
});

journal.patch("/:id", async (c) => {
  const user = requireUser(c);
  const id = entryId(c.req.param("id"));
  const change = patchEntrySchema.parse(await jsonBody(c));
  const entry = await c.get("services").db.transaction(async (tx) => {
    const current = await getEntry(tx, user.id, id);
    if (!current) return null;
    if (!saysSomething({ ...current, ...change })) {
      throw new BadRequestError(
        "The entry would say nothing: keep at least one of why, plan, lesson, an emotion or a tag.",
      );
    }
    return await updateEntry(tx, user.id, id, change);
  });
  if (!entry) throw new NotFoundError("No such journal entry.");
  return c.json({ entry });
});

journal.delete("/:id", async (c) => {
  const user = requireUser(c);
  if (!await deleteEntry(c.get("services").db, user.id, entryId(c.req.param("id")))) {
    throw new NotFoundError("No such journal entry.");
  }
  return c.body(null, 204);
});

export default journal;
