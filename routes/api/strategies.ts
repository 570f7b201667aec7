/**
 * `/api/strategies`: the signed-in user's saved strategies, versioned (lib/strategy/repo.ts),
 * and the analyst's strategy tasks (lib/strategy/words.ts).
 *
 * - `GET /` → `{ strategies }`, most recently changed first.
 * - `POST /` `{ name?, description?, templates?, rules }` → 201, version 1.
 * - `POST /parse` `{ text }` → `{ rules, draft, sentences, assumptions, unknownWords, errors,
 *   analyst }`; nothing is saved. `rules` is null when the words do not make a valid strategy,
 *   and `errors` says why.
 * - `POST /check` `{ rules }` → `{ ok, errors, sentences }`: inline validation for the editor.
 * - `GET /:id[?version=n]` → the latest (or the given) version with its sentences.
 * - `PUT /:id` `{ name?, description?, templates?, rules? }` → the next version (what is left out
 *   is carried over from the latest).
 * - `POST /:id/duplicate` `{ name?, version? }` → 201, a new strategy at version 1.
 * - `DELETE /:id` → 204 (its backtest runs stay, unlinked).
 * - `GET /:id/versions` → `{ versions }`, newest first.
 * - `POST /:id/explain` → `{ text, analyst, unverified, run }`: the strategy and its latest
 *   backtest in plain words.
 *
 * Another user's strategy is a 404, the same as a missing one.
 */
import { type Context, Hono } from "hono";
import { fromAnalyst } from "../../lib/ai/http_errors.ts";
import { z } from "zod";
import type { AppEnv } from "../../lib/state.ts";
import { jsonBody, requireUser } from "../../lib/auth/guards.ts";
import { HttpError, NotFoundError } from "../../lib/http/errors.ts";
import { parseRules, type Rules } from "../../lib/strategy/schema.ts";
import { describeRules } from "../../lib/strategy/sentences.ts";
import { TEMPLATE_IDS, TEMPLATES } from "../../lib/strategy/templates.ts";
import {
  createStrategy,
  deleteStrategy,
  getStrategy,
  latestRunOf,
  listStrategies,
  listVersions,
  type StrategyVersion,
  updateStrategy,
} from "../../lib/strategy/repo.ts";
import { describeStrategy, explainStrategy } from "../../lib/strategy/words.ts";
import { describeRoutes } from "../../lib/http/openapi/mod.ts";

const name = z.string().trim().min(1, "A name is needed.").max(100);
const description = z.string().max(2000);
const templates = z.array(z.enum(TEMPLATE_IDS)).max(5);

const createSchema = z.strictObject({
  name: name.optional(),
  description: description.default(""),
  templates: templates.default([]),
  rules: z.unknown(),
});
const updateSchema = z.strictObject({
  name: name.optional(),
  description: description.optional(),
  templates: templates.optional(),
  rules: z.unknown().optional(),
}).refine((v) => Object.values(v).some((x) => x !== undefined), {
  message: "Send at least one of name, description, templates or rules.",
});
const parseSchema = z.strictObject({
  text: z.string().trim().min(3, "Describe the strategy in a few words.").max(2000),
});
const duplicateSchema = z.strictObject({
  name: name.optional(),
  version: z.number().int().positive().max(1e6).optional(),
});
const versionQuery = z.coerce.number().int().positive().max(1e6);

const idSchema = z.coerce.number().int().positive().max(2 ** 53 - 1);
function strategyId(c: Context<AppEnv>): number {
  const parsed = idSchema.safeParse(c.req.param("id") ?? "");
  if (!parsed.success) throw new NotFoundError("No such strategy.");
  return parsed.data;
}

/** The rule document validated, or 422 with every `path: message`. */
function validRules(doc: unknown): Rules {
  const parsed = parseRules(doc);
  if (!parsed.ok) {
    throw new HttpError(422, "invalid_rules", "The rule document is not valid.", {
      errors: parsed.errors,
    });
  }
  return parsed.rules;
}

const view = (s: StrategyVersion) => ({ ...s, sentences: describeRules(s.rules) });

const strategies = new Hono<AppEnv>();

strategies.get("/", async (c) => {
  const user = requireUser(c);
  c.header("Cache-Control", "no-store");
  return c.json({ strategies: await listStrategies(c.get("services").db, user.id) });
});

strategies.post("/", async (c) => {
  const user = requireUser(c);
  const input = createSchema.parse(await jsonBody(c));
  const rules = validRules(input.rules);
  const saved = await createStrategy(c.get("services").db, user.id, {
    name: input.name ?? rules.name,
    description: input.description,
    templates: input.templates,
    rules,
  });
  return c.json(view(saved), 201);
});

strategies.post("/parse", async (c) => {
  const user = requireUser(c);
  const { text } = parseSchema.parse(await jsonBody(c));
  const { analyst, backtests } = c.get("services");
  const symbols = new Set(
    backtests.history.list().filter((i) => i.type === "stock").map((i) => i.symbol),
  );
  const described = await fromAnalyst(() =>
    describeStrategy(analyst, user.id, text, symbols, c.req.raw.signal)
  );
  c.header("Cache-Control", "no-store");
  return c.json(described);
});

const checkSchema = z.strictObject({ rules: z.unknown() });

strategies.post("/check", async (c) => {
  requireUser(c);
  const { rules } = checkSchema.parse(await jsonBody(c));
  const parsed = parseRules(rules);
  return c.json(
    parsed.ok
      ? { ok: true, errors: [], sentences: describeRules(parsed.rules) }
      : { ok: false, errors: parsed.errors, sentences: [] },
  );
});

strategies.get("/:id", async (c) => {
  const user = requireUser(c);
  const id = strategyId(c);
  const raw = c.req.query("version");
  let version: number | undefined;
  if (raw !== undefined) {
    const v = versionQuery.safeParse(raw);
    if (!v.success) {
      throw new HttpError(400, "bad_request", "The version is a whole number from 1.", {
        version: raw,
      });
    }
    version = v.data;
  }
  const s = await getStrategy(c.get("services").db, user.id, id, version);
  if (!s) throw new NotFoundError(version ? "No such strategy version." : "No such strategy.");
  c.header("Cache-Control", "no-store");
  return c.json(view(s));
});

strategies.put("/:id", async (c) => {
  const user = requireUser(c);
  const id = strategyId(c);
  const input = updateSchema.parse(await jsonBody(c));
  const { db } = c.get("services");
  const current = await getStrategy(db, user.id, id);
  if (!current) throw new NotFoundError("No such strategy.");
  const rules = input.rules === undefined ? current.rules : validRules(input.rules);
  const saved = await updateStrategy(db, user.id, id, {
    name: input.name ?? (input.rules === undefined ? current.name : rules.name),
    description: input.description ?? current.description,
    templates: input.templates ?? current.templates,
    rules,
  });
  if (!saved) throw new NotFoundError("No such strategy.");
  return c.json(view(saved));
});

strategies.post("/:id/duplicate", async (c) => {
  const user = requireUser(c);
  const id = strategyId(c);
  const input = duplicateSchema.parse(await jsonBody(c));
  const { db } = c.get("services");
  const from = await getStrategy(db, user.id, id, input.version);
  if (!from) throw new NotFoundError("No such strategy.");
  const copy = await createStrategy(db, user.id, {
    name: input.name ?? `${from.name} (copy)`.slice(0, 100),
    description: from.description,
    templates: from.templates,
    rules: from.rules,
  });
  return c.json(view(copy), 201);
});

strategies.delete("/:id", async (c) => {
  const user = requireUser(c);
  const id = strategyId(c);
  if (!await deleteStrategy(c.get("services").db, user.id, id)) {
    throw new NotFoundError("No such strategy.");
  }
  return c.body(null, 204);
});

strategies.get("/:id/versions", async (c) => {
  const user = requireUser(c);
  const versions = await listVersions(c.get("services").db, user.id, strategyId(c));
  if (!versions) throw new NotFoundError("No such strategy.");
  c.header("Cache-Control", "no-store");
  return c.json({ versions });
});

strategies.post("/:id/explain", async (c) => {
  const user = requireUser(c);
  const id = strategyId(c);
  const { db, analyst } = c.get("services");
  const s = await getStrategy(db, user.id, id);
  if (!s) throw new NotFoundError("No such strategy.");
  const run = await latestRunOf(db, user.id, id) ?? null;
  const explained = await fromAnalyst(() =>
    explainStrategy(analyst, user.id, s, run, c.req.raw.signal)
  );
  c.header("Cache-Control", "no-store");
  return c.json({ ...explained, source: "replay" });
});

const strategyParams = { id: idSchema };
describeRoutes(strategies, "Strategies", {
  "GET /": {
    summary: "The caller's strategies, most recently changed first",
    responses: { 200: "`{ strategies }`" },
  },
  "POST /": {
    summary: "Save a strategy (version 1)",
    body: createSchema,
    example: {
      name: "Golden cross",
      templates: ["sma-cross"],
      rules: TEMPLATES["sma-cross"].rules,
    },
    responses: { 201: "The strategy with its sentences", 422: "`invalid_rules`" },
  },
  "POST /parse": {
    summary: "The analyst turns words into a strategy; nothing is saved",
    body: parseSchema,
    example: {
      text: "Buy when the 50-day average crosses above the 200-day; sell on the cross back",
    },
    responses: { 200: "`{ rules, draft, sentences, assumptions, unknownWords, errors, analyst }`" },
  },
  "POST /check": {
    summary: "Validate a rule document for the editor",
    body: checkSchema,
    example: { rules: TEMPLATES["sma-cross"].rules },
    responses: { 200: "`{ ok, errors, sentences }`" },
  },
  "GET /:id": {
    summary: "The latest (or a given) version of a strategy with its sentences",
    params: strategyParams,
    query: z.object({ version: versionQuery.optional() }),
    queryExample: { version: "1" },
    responses: {
      200: "The strategy version",
      400: "A version that is not a whole number",
      404: "Not the caller's",
    },
  },
  "PUT /:id": {
    summary: "Save the next version (what is left out carries over)",
    params: strategyParams,
    body: updateSchema,
    example: { name: "Golden cross, tuned", description: "Slower averages" },
    responses: { 200: "The new version", 404: "Not the caller's", 422: "`invalid_rules`" },
  },
  "POST /:id/duplicate": {
    summary: "Copy a strategy (or one of its versions) as a new one",
    params: strategyParams,
    body: duplicateSchema,
    example: { name: "Golden cross (copy)", version: 1 },
    responses: { 201: "The copy, at version 1", 404: "Not the caller's" },
  },
  "DELETE /:id": {
    summary: "Delete a strategy (its backtest runs stay, unlinked)",
    params: strategyParams,
    responses: { 204: "Deleted", 404: "Not the caller's" },
  },
  "GET /:id/versions": {
    summary: "A strategy's versions, newest first",
    params: strategyParams,
    responses: { 200: "`{ versions }`", 404: "Not the caller's" },
  },
  "POST /:id/explain": {
    summary: "The analyst explains the strategy and its latest backtest in plain words",
    params: strategyParams,
    responses: { 200: "`{ text, analyst, unverified, run, source }`", 404: "Not the caller's" },
  },
});

export default strategies;
