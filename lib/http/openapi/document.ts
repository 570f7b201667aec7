/**
 * The OpenAPI 3.1 document of the API, built from what each mounted router declared with
 * `describeRoutes` (registry.ts). Schemas come from the routers' own zod schemas through
 * `z.toJSONSchema` (JSON Schema 2020-12, OpenAPI 3.1's dialect), in their input form: what a
 * client sends, before defaults and transforms.
 */
import { z } from "zod";
import { mergePath } from "hono/utils/url";
import { ACCESS_COOKIE } from "../../auth/cookies.ts";
import {
  type Access,
  type HttpMethod,
  type OperationDoc,
  type OperationKey,
  parseOperationKey,
  routerDocs,
} from "./registry.ts";

/** A router and where it is mounted, e.g. `/api/watchlists` from `./routes/api/watchlists.ts`. */
export interface ApiMount {
  file: string;
  prefix: string;
  router: object;
}

/** One declared operation with its full path. */
export interface DocumentedOperation {
  method: HttpMethod;
  /** Hono's full path, e.g. `/api/watchlists/:id` (as `app.routes` lists it). */
  path: string;
  key: OperationKey;
  file: string;
  tag: string;
  doc: OperationDoc;
}

export type JsonSchema = Record<string, unknown>;

// deno-lint-ignore no-explicit-any
export type OpenApiDocument = Record<string, any> & {
  openapi: "3.1.0";
  // deno-lint-ignore no-explicit-any
  paths: Record<string, Record<string, any>>;
};

const PARAM = /:(\w+)(\{[^}]*\})?\??/g;

/** `/api/x/:id/y` → `/api/x/{id}/y` and its parameter names (Hono's regex parts dropped). */
export function openApiPath(path: string): { path: string; params: string[] } {
  const params: string[] = [];
  const out = path.replace(PARAM, (_, name: string) => {
    params.push(name);
    return `{${name}}`;
  });
  return { path: out, params };
}

/** The request side of a zod schema as JSON Schema, without the `$schema` line. */
export function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  const out = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema;
  delete out.$schema;
  return out;
}

/** The operations every mount declared, in mount order, then declaration order. */
export function documentedOperations(mounts: readonly ApiMount[]): DocumentedOperation[] {
  const out: DocumentedOperation[] = [];
  for (const mount of mounts) {
    const docs = routerDocs(mount.router);
    if (!docs) continue;
    for (const [key, doc] of docs.operations) {
      const { method, path } = parseOperationKey(key);
      out.push({
        method,
        path: mergePath(mount.prefix, path),
        key,
        file: mount.file,
        tag: docs.tag,
        doc,
      });
    }
  }
  return out;
}

function objectProperties(schema: JsonSchema, what: string): {
  properties: Record<string, JsonSchema>;
  required: string[];
} {
  if (schema.type !== "object") {
    throw new Error(`${what} must be an object schema (one property per parameter).`);
  }
  return {
    properties: (schema.properties ?? {}) as Record<string, JsonSchema>,
    required: (schema.required ?? []) as string[],
  };
}

function parameters(op: DocumentedOperation, pathParams: string[]) {
  const where = `${op.method} ${op.path} (${op.file})`;
  const out: Record<string, unknown>[] = [];
  const declared = op.doc.params ?? {};
  for (const name of Object.keys(declared)) {
    if (!pathParams.includes(name)) throw new Error(`${where}: the path has no :${name}.`);
  }
  for (const name of pathParams) {
    const schema = declared[name] ? jsonSchemaOf(declared[name]) : { type: "string" };
    out.push({ name, in: "path", required: true, schema });
  }
  if (op.doc.query) {
    const { properties, required } = objectProperties(
      jsonSchemaOf(op.doc.query),
      `${where}: query`,
    );
    for (const [name, schema] of Object.entries(properties)) {
      const { description, ...rest } = schema;
      out.push({
        name,
        in: "query",
        required: required.includes(name),
        ...(description ? { description } : {}),
        schema: rest,
        ...(op.doc.queryExample?.[name] !== undefined
          ? { example: op.doc.queryExample[name] }
          : {}),
      });
    }
  }
  return out;
}

const ERROR_REF = { $ref: "#/components/schemas/Error" };
const errorResponse = (description: string) => ({
  description,
  content: { "application/json": { schema: ERROR_REF } },
});

function responses(doc: OperationDoc, access: Access, validates: boolean) {
  const out: Record<string, unknown> = {};
  for (const [status, r] of Object.entries(doc.responses ?? { 200: "OK" })) {
    const { description, contentType, schema } = typeof r === "string"
      ? { description: r, contentType: undefined, schema: undefined }
      : r;
    const code = Number(status);
    if (code === 204) {
      out[status] = { description };
    } else if (code >= 400) {
      out[status] = errorResponse(description);
    } else {
      const type = contentType ?? "application/json";
      out[status] = {
        description,
        content: { [type]: schema ? { schema: jsonSchemaOf(schema) } : {} },
      };
    }
  }
  if (validates && !out["400"]) {
    out["400"] = errorResponse("`validation_failed`: the request is not valid (`details`).");
  }
  if (access !== "public" && !out["401"]) out["401"] = errorResponse("Not signed in.");
  if (access === "admin" && !out["403"]) out["403"] = errorResponse("Not an admin.");
  out.default = errorResponse("Any other error, in the same shape.");
  return out;
}

/** `/api/watchlists/:id` + POST → `postApiWatchlistsId`. */
function operationId(method: HttpMethod, path: string): string {
  const words = path.split(/[^A-Za-z0-9]+/).filter(Boolean);
  return method.toLowerCase() + words.map((w) => w[0].toUpperCase() + w.slice(1)).join("");
}

function operation(op: DocumentedOperation, pathParams: string[]) {
  const { doc } = op;
  const access = doc.access ?? "user";
  const body = doc.body ? jsonSchemaOf(doc.body) : undefined;
  return {
    operationId: operationId(op.method, op.path),
    tags: [op.tag],
    summary: doc.summary,
    ...(doc.description ? { description: doc.description } : {}),
    ...(access === "public" ? { security: [] } : {}),
    ...(access === "admin" ? { "x-paiid-access": "admin" } : {}),
    parameters: parameters(op, pathParams),
    ...(body && doc.body
      ? {
        requestBody: {
          // An empty body reads as `{}` (lib/auth/guards.ts `jsonBody`).
          required: !doc.body.safeParse({}).success,
          content: {
            "application/json": {
              schema: body,
              ...(doc.example !== undefined ? { example: doc.example } : {}),
            },
          },
        },
      }
      : {}),
    // Path parameters are left out: most routes answer a malformed id 404, like a missing one.
    responses: responses(doc, access, Boolean(doc.body || doc.query)),
  };
}

export interface DocumentInfo {
  version: string;
}

/** The OpenAPI 3.1 document of every operation the mounts declared. */
export function openApiDocument(mounts: readonly ApiMount[], info: DocumentInfo): OpenApiDocument {
  const ops = documentedOperations(mounts);
  const paths: OpenApiDocument["paths"] = {};
  const tags: string[] = [];
  for (const op of ops) {
    const { path, params } = openApiPath(op.path);
    const method = op.method.toLowerCase();
    paths[path] ??= {};
    if (paths[path][method]) {
      throw new Error(`${op.method} ${op.path} is described by two routers.`);
    }
    paths[path][method] = operation(op, params);
    if (!tags.includes(op.tag)) tags.push(op.tag);
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "PaiiD API",
      version: info.version,
      description: "The JSON API behind PaiiD's pages. Every error answers " +
        "`{ error: { code, message, details?, requestId } }`. Paper trading only; answers " +
        'computed from replayed history say `"source": "replay"`.',
    },
    servers: [{ url: "/" }],
    tags: tags.map((name) => ({ name })),
    security: [{ bearer: [] }, { session: [] }],
    paths,
    components: {
      securitySchemes: {
        bearer: {
          type: "http",
          scheme: "bearer",
          description: "An access token from `POST /api/auth/login`, or an API token.",
        },
        session: {
          type: "apiKey",
          in: "cookie",
          name: ACCESS_COOKIE,
          description: "The browser's session cookie (`__Host-` prefixed over https); state " +
            "changes also need the CSRF token.",
        },
      },
      schemas: {
        Error: {
          type: "object",
          required: ["error"],
          properties: {
            error: {
              type: "object",
              required: ["code", "message"],
              properties: {
                code: { type: "string" },
                message: { type: "string" },
                details: {},
                requestId: { type: "string" },
              },
            },
          },
        },
      },
    },
  };
}
