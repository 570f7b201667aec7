/**
 * `/api/order-templates`: the caller's order templates (lib/order_templates/), the shape of an
 * order to start the ticket from: side, type, time in force and optionally a symbol, a size
 * (`qty` shares or `notional` dollars) and a trailing stop's trail. No limit or stop prices: a
 * level belongs to one market moment, so the ticket asks for it when a template is applied.
 *
 * - `GET /` → `{ templates }`, by name; `GET /:id` → `{ template }`
 * - `POST /` `{ name, side, type, timeInForce?, symbol?, qty? | notional?, trailPrice? |
 *   trailPercent? }` → 201 `{ template }`
 * - `PATCH /:id` any of those fields (`null` clears an optional one) → `{ template }`
 * - `DELETE /:id` → 204
 *
 * The order rules apply (dollars and fractional shares only for market/day, a trail only for a
 * trailing stop): 400 naming the field. A symbol must be known to the market data (422
 * `unknown_symbols`). Names are unique per user regardless of case (409 `template_name_taken`);
 * at most 50 templates (422 `template_limit`). Another user's template is a 404.
 */
import { Hono } from "hono";
import type { AppEnv } from "../../lib/state.ts";
import { jsonBody, requireUser } from "../../lib/auth/guards.ts";
import { HttpError, NotFoundError } from "../../lib/http/errors.ts";
import { requireKnownSymbols } from "../../lib/market/known_symbols.ts";
import {
  createTemplateSchema,
  patchTemplateSchema,
  templateIdSchema,
  templateIssues,
} from "../../lib/order_templates/schemas.ts";
import {
  createTemplate,
  deleteTemplate,
  getTemplate,
  listTemplates,
  replaceTemplate,
  TemplateLimitError,
  TemplateNameTakenError,
} from "../../lib/order_templates/repo.ts";
import { describeRoutes } from "../../lib/http/openapi/mod.ts";

function templateId(raw: string): number {
  const parsed = templateIdSchema.safeParse(raw);
  if (!parsed.success) throw new NotFoundError("No such template.");
  return parsed.data;
}

async function mapped<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof TemplateLimitError) throw new HttpError(422, "template_limit", err.message);
    if (err instanceof TemplateNameTakenError) {
      throw new HttpError(409, "template_name_taken", err.message);
    }
    throw err;
  }
}

const templates = new Hono<AppEnv>();

const templateParams = { id: templateIdSchema };
describeRoutes(templates, "Order templates", {
  "GET /": {
    summary: "The caller's order templates",
    responses: { 200: "`{ templates }`" },
  },
  "GET /:id": {
    summary: "One template",
    params: templateParams,
    responses: { 200: "`{ template }`", 404: "Not the caller's" },
  },
  "POST /": {
    summary: "Save an order template (type, time in force and size; never a price level)",
    body: createTemplateSchema,
    example: { name: "Starter buy", side: "buy", type: "market", timeInForce: "day", qty: 10 },
    responses: {
      201: "`{ template }`",
      409: "`template_name_taken`",
      422: "`template_limit` (50), or an unknown symbol",
    },
  },
  "PATCH /:id": {
    summary: "Change a template; the result must still be a valid template",
    params: templateParams,
    body: patchTemplateSchema,
    example: { name: "Starter buy, 20" },
    responses: {
      200: "`{ template }`",
      400: "`validation_failed`: the changed template breaks a rule",
      404: "Not the caller's",
      409: "`template_name_taken`",
    },
  },
  "DELETE /:id": {
    summary: "Delete a template",
    params: templateParams,
    responses: { 204: "Deleted", 404: "Not the caller's" },
  },
});

templates.get("/", async (c) => {
  const user = requireUser(c);
  return c.json({ templates: await listTemplates(c.get("services").db, user.id) });
});

templates.get("/:id", async (c) => {
  const user = requireUser(c);
  const template = await getTemplate(c.get("services").db, user.id, templateId(c.req.param("id")));
  if (!template) throw new NotFoundError("No such template.");
  return c.json({ template });
});

templates.post("/", async (c) => {
  const user = requireUser(c);
  const input = createTemplateSchema.parse(await jsonBody(c));
  const services = c.get("services");
  if (input.symbol) await requireKnownSymbols(services, [input.symbol]);
  const template = await mapped(() =>
    services.db.transaction((tx) => createTemplate(tx, user.id, input))
  );
  return c.json({ template }, 201);
});

templates.patch("/:id", async (c) => {
  const user = requireUser(c);
  const id = templateId(c.req.param("id"));
  const change = patchTemplateSchema.parse(await jsonBody(c));
  const services = c.get("services");
  if (change.symbol) await requireKnownSymbols(services, [change.symbol]);
  const template = await mapped(() =>
    services.db.transaction(async (tx) => {
      const current = await getTemplate(tx, user.id, id);
      if (!current) return null;
      const next = { ...current, ...change };
      const issues = templateIssues(next);
      // The same 400 and details a malformed body gets, naming the field the result breaks.
      if (issues.length) {
        throw new HttpError(400, "validation_failed", "The request is not valid.", issues);
      }
      return await replaceTemplate(tx, user.id, id, next);
    })
  );
  if (!template) throw new NotFoundError("No such template.");
  return c.json({ template });
});

templates.delete("/:id", async (c) => {
  const user = requireUser(c);
  if (!await deleteTemplate(c.get("services").db, user.id, templateId(c.req.param("id")))) {
    throw new NotFoundError("No such template.");
  }
  return c.body(null, 204);
});

export default templates;
