/**
 * The OpenAPI document against the running app.
 *
 * 1. Completeness: every route the real Hono app registers under /api (`app.routes`) is in
 *    `/api/openapi.json`, and every documented operation is a real route.
 * 2. Same schemas: routers declare their docs with the schema objects their handlers parse with,
 *    and this test holds them to it by behaviour. For every operation with a documented `body`
 *    or `query` it sends requests built from the declared example (the example itself, each
 *    field left out, each field given a value of the wrong kind, an unknown field) and compares
 *    the route's answer with the documented schema's verdict on the same input: a 400 exactly
 *    when the schema rejects it, with the schema's own issues as `details`. A handler that
 *    validates with another schema than the documented one answers some probe differently.
 */
import assert from "node:assert/strict";
import type { Hono } from "hono";
import { Validator } from "@seriousme/openapi-schema-validator";
import type { z } from "zod";
import type { DocumentedOperation, JsonSchema } from "../lib/http/openapi/document.ts";
import manifest from "../fresh.gen.ts";
import { openTestApp, type TestApp } from "./_harness.ts";
import { type SignedIn, signUp } from "./_auth.ts";
import { documentedOperations, openApiPath } from "../lib/http/openapi/mod.ts";
import { apiMounts } from "../lib/http/openapi/mounts.ts";
import { jsonSchemaOf } from "../lib/http/openapi/document.ts";
import { zodDetails } from "../lib/http/errors.ts";
import type { AppEnv } from "../lib/state.ts";

const mounts = apiMounts(manifest);
const operations = documentedOperations(mounts);

/** The (method, path) pairs the app routes under /api; `ALL` entries are middleware. */
function apiRoutes(app: Hono<AppEnv>): { method: string; path: string }[] {
  const seen = new Set<string>();
  const out: { method: string; path: string }[] = [];
  for (const r of app.routes) {
    if (r.method === "ALL" || !(r.path === "/api" || r.path.startsWith("/api/"))) continue;
    const key = `${r.method} ${r.path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ method: r.method, path: r.path });
  }
  return out;
}

/** The router file serving `path`, and the path inside that router. */
function ownerOf(path: string): { file: string; sub: string } {
  const mount = mounts
    .filter((m) => path === m.prefix || path.startsWith(`${m.prefix}/`))
    .sort((a, b) => b.prefix.length - a.prefix.length)[0];
  if (!mount) return { file: "(no router file)", sub: path };
  return { file: mount.file, sub: path.slice(mount.prefix.length) || "/" };
}

function whatToAdd(method: string, path: string): string {
  const { file, sub } = ownerOf(path);
  return `${method} ${path} is not in the OpenAPI document. Add it to the describeRoutes(...) ` +
    `block of ${file} (lib/http/openapi/registry.ts shows one):\n` +
    `    "${method} ${sub}": { summary: "…", responses: { 200: "…" } },\n` +
    `  with params/query/body set to the very zod schemas its handler parses, and an example ` +
    `body when {} is not a valid one.`;
}

async function withApp(fn: (t: TestApp, admin: SignedIn) => Promise<void>) {
  const t = await openTestApp({
    RATE_LIMIT_PER_MINUTE: "1000000",
    RATE_LIMIT_AUTH_PER_MINUTE: "1000000",
  });
  try {
    // The first account is the admin, so admin-only operations get past their guard too.
    await fn(t, await signUp(t.app));
  } finally {
    await t.close();
  }
}

Deno.test("every /api route is in the OpenAPI document, and every documented one exists", async () => {
  await withApp(async (t, admin) => {
    const res = await t.app.request("/api/openapi.json", { headers: admin.bearer });
    assert.equal(res.status, 200);
    const doc = await res.json();
    assert.equal(doc.openapi, "3.1.0");
    const routes = apiRoutes(t.app);
    assert.ok(routes.length > 100, `only ${routes.length} API routes found`);

    const missing = routes.filter((r) =>
      !doc.paths[openApiPath(r.path).path]?.[r.method.toLowerCase()]
    );
    assert.deepEqual(missing.map((r) => whatToAdd(r.method, r.path)), []);

    const registered = new Set(routes.map((r) => `${r.method} ${r.path}`));
    const stale = operations.filter((op) => !registered.has(`${op.method} ${op.path}`));
    assert.deepEqual(
      stale.map((op) =>
        `${op.key} in ${op.file} is documented but the router has no such route: remove it.`
      ),
      [],
    );
    const documented = Object.values(doc.paths as Record<string, object>)
      .reduce((n, methods) => n + Object.keys(methods).length, 0);
    assert.equal(documented, routes.length);

    const validator = new Validator();
    const result = await validator.validate(doc);
    assert.deepEqual(result.errors ?? [], [], "valid OpenAPI 3.1");
    assert.equal(result.valid, true);

    const page = await t.app.request("/api/docs", { headers: admin.bearer });
    assert.equal(page.status, 200);
    assert.match(page.headers.get("Content-Type") ?? "", /^text\/html/);
    const html = await page.text();
    for (const methods of Object.values(doc.paths as Record<string, Record<string, unknown>>)) {
      for (const op of Object.values(methods) as { operationId: string }[]) {
        assert.ok(html.includes(`id="${op.operationId}"`), `${op.operationId} on the docs page`);
      }
    }
    const anonymous = await t.app.request("/api/openapi.json");
    assert.equal(anonymous.status, 401, "signed-in users only, like the rest of the API");
    await anonymous.body?.cancel();
  });
});

// ---------------------------------------------------------------------------------------------
// 2. The documented schemas are the ones the routes validate with.

interface Probe {
  what: string;
  body?: unknown;
  query?: Record<string, string>;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** The fields a JSON Schema names at its top level (through `anyOf`/`oneOf` branches). */
function propertiesOf(s: JsonSchema): Record<string, JsonSchema> {
  const out: Record<string, JsonSchema> = {};
  for (const branch of [...(s.anyOf ?? []) as JsonSchema[], ...(s.oneOf ?? []) as JsonSchema[]]) {
    Object.assign(out, propertiesOf(branch));
  }
  return { ...out, ...(s.properties ?? {}) as Record<string, JsonSchema> };
}

/** A probe value as the failure message shows it. */
function short(v: unknown): string {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 40 ? `${text.slice(0, 20)}… (${text.length} characters)` : text;
}

/** Values of another kind than `v`, and null. */
function wrongValues(v: unknown): unknown[] {
  if (v === undefined) return [null, "x", -1];
  if (typeof v === "string") return [null, 12345];
  if (typeof v === "number") return [null, "12", -1e15];
  if (typeof v === "boolean") return [null, "true"];
  if (Array.isArray(v)) return [null, "x", [null]];
  return [null, "x", []];
}

/**
 * Values at and just past the bounds the documented schema states for one field: the longest
 * string it allows and one character more, the largest number and a step above, an option not
 * in its enum, one item too many. A route checking other bounds answers one of them differently.
 */
function boundaryValues(s: JsonSchema, sample: unknown): unknown[] {
  const out: unknown[] = [];
  const safe = (n: unknown): n is number =>
    typeof n === "number" && Math.abs(n) < Number.MAX_SAFE_INTEGER / 2;
  if (Array.isArray(s.enum)) out.push("zz-not-an-option");
  if (s.type === "string") {
    if (safe(s.maxLength)) out.push("a".repeat(s.maxLength), "a".repeat(s.maxLength + 1));
    if (safe(s.minLength) && s.minLength > 0) out.push("a".repeat(s.minLength - 1));
  }
  if (s.type === "number" || s.type === "integer") {
    for (const k of ["maximum", "exclusiveMaximum"] as const) {
      if (safe(s[k])) out.push(s[k], s[k] + 1);
    }
    for (const k of ["minimum", "exclusiveMinimum"] as const) {
      if (safe(s[k])) out.push(s[k], s[k] - 1);
    }
    if (s.type === "integer") out.push(1.5);
  }
  if (s.type === "array" && safe(s.maxItems) && Array.isArray(sample) && sample.length) {
    out.push(Array.from({ length: s.maxItems + 1 }, (_, i) => sample[i % sample.length]));
  }
  return out;
}

function bodyProbes(schema: z.ZodType, example: unknown): Probe[] {
  const base = example ?? {};
  const probes: Probe[] = [{ what: "the example", body: base }];
  if (isRecord(base)) {
    for (const k of Object.keys(base)) {
      const { [k]: _, ...rest } = base;
      probes.push({ what: `the example without ${k}`, body: rest });
    }
    const fields = propertiesOf(jsonSchemaOf(schema));
    for (const k of new Set([...Object.keys(base), ...Object.keys(fields)])) {
      for (const bad of [...wrongValues(base[k]), ...boundaryValues(fields[k] ?? {}, base[k])]) {
        probes.push({ what: `${k}: ${short(bad)}`, body: { ...base, [k]: bad } });
      }
    }
    probes.push({ what: "an unknown field", body: { ...base, zzProbe: 1 } });
  }
  probes.push({ what: "an array", body: [] }, { what: "a string", body: "text" });
  return probes;
}

function queryProbes(schema: z.ZodType, example: Record<string, string> = {}): Probe[] {
  const probes: Probe[] = [{ what: "the example query", query: example }];
  for (const k of Object.keys(example)) {
    const { [k]: _, ...rest } = example;
    probes.push({ what: `the example query without ${k}`, query: rest });
  }
  const fields = propertiesOf(jsonSchemaOf(schema));
  for (const k of new Set([...Object.keys(example), ...Object.keys(fields)])) {
    const edges = boundaryValues(fields[k] ?? {}, undefined).map(String);
    for (const bad of ["", "zz", "-1", ...edges]) {
      probes.push({ what: `${k}=${short(bad)}`, query: { ...example, [k]: bad } });
    }
  }
  probes.push({ what: "an unknown parameter", query: { ...example, zzProbe: "1" } });
  return probes;
}

/** A value for a path parameter that gets past the route's own check of it. */
function pathValue(op: DocumentedOperation, name: string): string {
  const schema = op.doc.params?.[name];
  const s = schema ? jsonSchemaOf(schema) : {};
  if (Array.isArray(s.enum)) return String(s.enum[0]);
  if (s.format === "uuid") return crypto.randomUUID();
  if (s.type === "integer" || s.type === "number") return "1";
  if (name === "symbol") return "AAPL";
  return "x";
}

let addresses = 0;
/** A new session of `user`, from an address of its own (sign-ins are rate-limited per address). */
async function signIn(t: TestApp, user: SignedIn): Promise<Record<string, string>> {
  addresses++;
  const res = await t.app.request("/api/auth/login", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ login: user.user.username, password: user.password }),
  }, { remoteAddr: { hostname: `198.19.${addresses >> 8 & 255}.${addresses & 255}` } });
  const body = await res.json();
  assert.equal(res.status, 200, JSON.stringify(body));
  return { Authorization: `Bearer ${body.accessToken}` };
}

interface Answer {
  status: number;
  // deno-lint-ignore no-explicit-any
  error?: any;
}

async function send(
  t: TestApp,
  op: DocumentedOperation,
  probe: Probe,
  auth: Record<string, string>,
): Promise<Answer> {
  const path = op.path.replace(/:(\w+)(\{[^}]*\})?/g, (_, n: string) => pathValue(op, n));
  const qs = probe.query ? `?${new URLSearchParams(probe.query)}` : "";
  const res = await t.app.request(path + qs, {
    method: op.method,
    headers: { ...auth, "Content-Type": "application/json" },
    body: probe.body === undefined ? undefined : JSON.stringify(probe.body),
  });
  const type = res.headers.get("Content-Type") ?? "";
  if (type.startsWith("text/event-stream") && op.method === "GET") {
    // A live stream never ends by itself; its status is all this test needs.
    await res.body?.cancel();
    return { status: res.status };
  }
  // Everything else is read to the end, so work a stream does (a chat turn) is finished.
  const text = await res.text();
  return {
    status: res.status,
    error: res.status >= 400 && type.includes("json") ? JSON.parse(text).error : undefined,
  };
}

/** Whether the operation's documented 400 names `code` (a rule checked beyond the schema). */
function names400(op: DocumentedOperation, code: unknown): boolean {
  const r = op.doc.responses?.[400];
  const text = typeof r === "string" ? r : r?.description ?? "";
  return code !== "validation_failed" && text.includes(`\`${code}\``);
}

/**
 * What is wrong with the route's answer to a probe, given the documented schema's verdict. A
 * route may still refuse with 400 what the schema accepts, when its docs name that error code
 * (`weak_password`: the password rules are checked after the schema).
 */
function mismatch(
  op: DocumentedOperation,
  schema: z.ZodType,
  input: unknown,
  answer: Answer,
): string | null {
  const verdict = schema.safeParse(input);
  if (verdict.success) {
    return answer.status === 400 && !names400(op, answer.error?.code)
      ? `the documented schema accepts it, the route answered 400 ${JSON.stringify(answer.error)}`
      : null;
  }
  if (answer.status !== 400) {
    return `the documented schema rejects it (${
      JSON.stringify(zodDetails(verdict.error))
    }), the route answered ${answer.status}`;
  }
  if (answer.error?.code === "validation_failed") {
    try {
      assert.deepEqual(answer.error.details, zodDetails(verdict.error));
    } catch {
      return `the route's issues ${JSON.stringify(answer.error.details)} are not the documented ` +
        `schema's ${JSON.stringify(zodDetails(verdict.error))}`;
    }
  }
  return null;
}

/** Waits for the morning brief a probe started building in the background to end. */
async function briefSettled(t: TestApp, auth: Record<string, string>): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const res = await t.app.request("/api/morning/brief", { headers: auth });
    const body = await res.json();
    if (res.status !== 200 || body.brief.status !== "running") return;
    if (Date.now() > deadline) throw new Error("the morning brief is still being built");
    await new Promise((r) => setTimeout(r, 25));
  }
}

Deno.test("each documented body and query schema answers like the route that validates with it", async () => {
  await withApp(async (t, admin) => {
    const problems: string[] = [];
    let sent = 0;
    for (const op of operations) {
      const { body, query } = op.doc;
      if (!body && !query) continue;
      if (body && !body.safeParse(op.doc.example ?? {}).success) {
        problems.push(`${op.method} ${op.path}: the example is not a valid body; give one.`);
        continue;
      }
      if (query && !query.safeParse(op.doc.queryExample ?? {}).success) {
        problems.push(`${op.method} ${op.path}: the queryExample is not a valid query; give one.`);
        continue;
      }
      let auth = await signIn(t, admin);
      const probes = [
        ...(body ? bodyProbes(body, op.doc.example) : []),
        ...(query ? queryProbes(query, op.doc.queryExample) : []),
      ];
      for (const probe of probes) {
        let answer = await send(t, op, probe, auth);
        if (answer.status === 401) {
          // An earlier probe may have signed this session out (logout, sign out everywhere).
          auth = await signIn(t, admin);
          answer = await send(t, op, probe, auth);
        }
        sent++;
        const [schema, input] = probe.query
          ? [query!, probe.query]
          : [body!, JSON.parse(JSON.stringify(probe.body))];
        const wrong = mismatch(op, schema, input, answer);
        if (wrong) problems.push(`${op.method} ${op.path} with ${probe.what}: ${wrong}`);
      }
    }
    await briefSettled(t, await signIn(t, admin));
    assert.deepEqual(problems, []);
    assert.ok(sent > 1000, `only ${sent} probes sent`);
  });
});
