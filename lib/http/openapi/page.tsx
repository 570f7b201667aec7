/**
 * `/api/docs`: the OpenAPI document as one readable, server-rendered page: a contents list by
 * tag, then each operation with its parameters, body, example and responses. It reads only the
 * document, so the page and `/api/openapi.json` cannot disagree. No script, no outside assets.
 */
import type { ComponentChildren } from "preact";
import { renderToString } from "preact-render-to-string";
import type { JsonSchema, OpenApiDocument } from "./document.ts";
import { schemaText } from "./schema_text.ts";

interface Parameter {
  name: string;
  in: string;
  required: boolean;
  description?: string;
  schema: JsonSchema;
  example?: string;
}

interface Operation {
  operationId: string;
  tags: string[];
  summary: string;
  description?: string;
  security?: unknown[];
  "x-paiid-access"?: string;
  parameters: Parameter[];
  requestBody?: {
    required: boolean;
    content: Record<string, { schema: JsonSchema; example?: unknown }>;
  };
  responses: Record<string, { description: string; content?: Record<string, unknown> }>;
}

/** Text with `code` spans, the one bit of Markdown the descriptions use. */
function Inline({ text }: { text: string }) {
  const parts = text.split("`");
  return <>{parts.map((p, i) => (i % 2 ? <code>{p}</code> : p))}</>;
}

function Params({ list }: { list: Parameter[] }) {
  if (!list.length) return null;
  return (
    <table class="api-table">
      <caption>Parameters</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">In</th>
          <th scope="col">Schema</th>
        </tr>
      </thead>
      <tbody>
        {list.map((p) => (
          <tr key={`${p.in}:${p.name}`}>
            <td>
              <code>{p.name}</code>
              {p.required ? <span class="api-required">required</span> : null}
            </td>
            <td>{p.in}</td>
            <td>
              {schemaText(p.schema)}
              {p.description ? <div class="muted">{p.description}</div> : null}
              {p.example !== undefined
                ? (
                  <div class="muted">
                    e.g. <code>{p.example}</code>
                  </div>
                )
                : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Fields({ schema }: { schema: JsonSchema }) {
  const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = (schema.required ?? []) as string[];
  const names = Object.keys(props);
  if (!names.length) return <p class="api-schema-line">{schemaText(schema)}</p>;
  return (
    <table class="api-table">
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">Schema</th>
        </tr>
      </thead>
      <tbody>
        {names.map((n) => (
          <tr key={n}>
            <td>
              <code>{n}</code>
              {required.includes(n) ? <span class="api-required">required</span> : null}
            </td>
            <td>{schemaText(props[n])}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Body({ body }: { body: NonNullable<Operation["requestBody"]> }) {
  return (
    <>
      {Object.entries(body.content).map(([type, { schema, example }]) => (
        <div class="api-body" key={type}>
          <h4>
            Body <code>{type}</code>
            {body.required ? <span class="api-required">required</span> : null}
          </h4>
          <Fields schema={schema} />
          <details>
            <summary>JSON Schema</summary>
            <pre>{JSON.stringify(schema, null, 2)}</pre>
          </details>
          {example !== undefined
            ? (
              <details>
                <summary>Example</summary>
                <pre>{JSON.stringify(example, null, 2)}</pre>
              </details>
            )
            : null}
        </div>
      ))}
    </>
  );
}

function Responses({ list }: { list: Operation["responses"] }) {
  return (
    <dl class="api-responses">
      {Object.entries(list).map(([status, r]) => (
        <div key={status}>
          <dt>
            <span class={`api-status api-status--${status[0]}`}>{status}</span>
          </dt>
          <dd>
            <Inline text={r.description} /> {r.content && !("application/json" in r.content)
              ? <span class="muted">({Object.keys(r.content).join(", ")})</span>
              : null}
          </dd>
        </div>
      ))}
    </dl>
  );
}

function Op({ method, path, op }: { method: string; path: string; op: Operation }) {
  const access = op.security?.length === 0
    ? "public"
    : op["x-paiid-access"] === "admin"
    ? "admin"
    : null;
  return (
    <article class="api-op glass" id={op.operationId}>
      <h3>
        <span class={`api-method api-method--${method}`}>{method.toUpperCase()}</span>{" "}
        <code>{path}</code>
        {access ? <span class="api-access">{access}</span> : null}
      </h3>
      <p>
        <Inline text={op.summary} />
      </p>
      {op.description
        ? (
          <p class="muted">
            <Inline text={op.description} />
          </p>
        )
        : null}
      <Params list={op.parameters} />
      {op.requestBody ? <Body body={op.requestBody} /> : null}
      <Responses list={op.responses} />
    </article>
  );
}

function Page({ doc }: { doc: OpenApiDocument }) {
  const byTag = new Map<string, { method: string; path: string; op: Operation }[]>();
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods as Record<string, Operation>)) {
      const tag = op.tags[0];
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag)!.push({ method, path, op });
    }
  }
  const tags = [...byTag.keys()].sort((a, b) => a.localeCompare(b));
  const slug = (t: string) => "tag-" + t.toLowerCase().replace(/[^a-z0-9]+/g, "-");
  const count = [...byTag.values()].reduce((n, l) => n + l.length, 0);
  return (
    <main class="api-docs">
      <header class="api-docs-header">
        <p>
          <a href="/">← PaiiD</a>
        </p>
        <h1>{doc.info.title} {doc.info.version}</h1>
        <p>
          <Inline text={doc.info.description} />
        </p>
        <p>
          {count} operations. The machine-readable document:{" "}
          <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI {doc.openapi}). Sign in with
          {" "}
          <code>Authorization: Bearer</code> (a token from{" "}
          <code>POST /api/auth/login</code>, or an API token) unless an operation says{" "}
          <span class="api-access">public</span>.
        </p>
      </header>
      <nav class="api-toc glass" aria-label="Contents">
        <ul>
          {tags.map((t) => (
            <li key={t}>
              <a href={`#${slug(t)}`}>{t}</a> <span class="muted">({byTag.get(t)!.length})</span>
            </li>
          ))}
        </ul>
      </nav>
      {tags.map((t) => (
        <section key={t} id={slug(t)} aria-labelledby={`${slug(t)}-h`}>
          <h2 id={`${slug(t)}-h`}>{t}</h2>
          {byTag.get(t)!.map((o) => <Op key={o.op.operationId} {...o} />)}
        </section>
      ))}
    </main>
  );
}

function Document({ title, children }: { title: string; children: ComponentChildren }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title}</title>
        <link rel="stylesheet" href="/styles.css" />
      </head>
      <body>{children}</body>
    </html>
  );
}

/** The whole HTML page for `doc`. */
export function renderDocsPage(doc: OpenApiDocument): string {
  return "<!DOCTYPE html>" +
    renderToString(
      <Document title={`${doc.info.title}: documentation`}>
        <Page doc={doc} />
      </Document>,
    );
}
