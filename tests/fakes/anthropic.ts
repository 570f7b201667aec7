/**
 * A fake Anthropic Messages API on 127.0.0.1, following ../shared/api-contracts/anthropic.md:
 * `POST /v1/messages` (JSON and SSE), `GET /v1/models`, the error body and headers, tool use
 * with parallel calls. Tests script what each request gets, in order, and read back what was
 * sent (`requests`), so the real SDK and the real client are exercised end to end.
 */
export const FAKE_API_KEY = "sk-ant-test-fake-key";

export type Reply =
  /** A text answer, streamed in the given pieces. */
  | { kind: "text"; text: string[] }
  /** Tool calls (several = parallel tool use), after optional text. */
  | { kind: "tools"; text?: string; calls: { name: string; input: unknown }[] }
  /** An HTTP error before any streaming (429, 500, 529, ...). */
  | { kind: "error"; status: number; type: string; message?: string; retryAfter?: number }
  /** 200, some text, then an `error` event and the end of the stream. */
  | { kind: "stream_error"; text: string; type: string; message?: string };

export interface FakeAnthropic {
  url: string;
  /** Request bodies received by POST /v1/messages, in order. */
  requests: Record<string, unknown>[];
  /** Replies to give, one per request, in order. */
  script(...replies: Reply[]): void;
  close(): Promise<void>;
}

const enc = new TextEncoder();
let ids = 0;
const id = (prefix: string) => `${prefix}_fake${(++ids).toString().padStart(20, "0")}`;

const headers = (extra: Record<string, string> = {}) => ({
  "request-id": id("req"),
  "anthropic-ratelimit-requests-limit": "1000",
  "anthropic-ratelimit-requests-remaining": "999",
  ...extra,
});

function errorResponse(status: number, type: string, message: string, extra = {}): Response {
  return Response.json(
    { type: "error", error: { type, message }, request_id: id("req") },
    { status, headers: headers(extra) },
  );
}

/**
 * Usage as the API reports it: the prefix up to the last `cache_control` breakpoint (tools, then
 * system blocks) is written to the cache once and read by later requests with the same prefix.
 */
function usageFor(body: Record<string, unknown>, seen: Set<string>, output: number) {
  const system = Array.isArray(body.system)
    ? body.system as Record<string, unknown>[]
    : body.system
    ? [{ type: "text", text: body.system }]
    : [];
  const tools = (body.tools ?? []) as Record<string, unknown>[];
  const marks = system.map((b) => "cache_control" in b);
  const last = marks.lastIndexOf(true);
  const cached = last >= 0 || tools.some((t) => "cache_control" in t);
  const prefix = JSON.stringify(tools) + JSON.stringify(system.slice(0, last + 1));
  const prefixTokens = Math.ceil(prefix.length / 4);
  const rest = JSON.stringify(system.slice(last + 1)) + JSON.stringify(body.messages);
  const input = Math.ceil(rest.length / 4);
  let creation = 0;
  let read = 0;
  if (cached) {
    if (seen.has(prefix)) read = prefixTokens;
    else {
      creation = prefixTokens;
      seen.add(prefix);
    }
  }
  return {
    input_tokens: cached ? input : input + prefixTokens,
    output_tokens: output,
    cache_creation_input_tokens: creation,
    cache_read_input_tokens: read,
  };
}

function contentOf(reply: Reply) {
  if (reply.kind === "text") return [{ type: "text", text: reply.text.join(""), citations: null }];
  if (reply.kind === "tools") {
    return [
      ...(reply.text ? [{ type: "text", text: reply.text, citations: null }] : []),
      ...reply.calls.map((c) => ({
        type: "tool_use",
        id: id("toolu"),
        name: c.name,
        input: c.input,
      })),
    ];
  }
  return [];
}

function sse(events: [string, unknown][]): string {
  return events.map(([name, data]) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`).join("");
}

function streamed(
  reply: Exclude<Reply, { kind: "error" }>,
  model: string,
  usage: ReturnType<typeof usageFor>,
): string {
  const message = {
    id: id("msg"),
    type: "message",
    role: "assistant",
    model,
    content: [],
    stop_reason: null,
    stop_sequence: null,
    usage: { ...usage, output_tokens: 1 },
  };
  const events: [string, unknown][] = [["message_start", { type: "message_start", message }]];
  const texts = reply.kind === "text"
    ? reply.text
    : reply.kind === "stream_error"
    ? [reply.text]
    : reply.text
    ? [reply.text]
    : [];
  let index = 0;
  if (texts.length) {
    events.push(["content_block_start", {
      type: "content_block_start",
      index,
      content_block: { type: "text", text: "" },
    }]);
    events.push(["ping", { type: "ping" }]);
    for (const t of texts) {
      events.push(["content_block_delta", {
        type: "content_block_delta",
        index,
        delta: { type: "text_delta", text: t },
      }]);
    }
    if (reply.kind === "stream_error") {
      events.push(["error", {
        type: "error",
        error: { type: reply.type, message: reply.message ?? "Overloaded" },
      }]);
      return sse(events);
    }
    events.push(["content_block_stop", { type: "content_block_stop", index }]);
    index++;
  }
  if (reply.kind === "tools") {
    for (const block of contentOf(reply).filter((b) => b.type === "tool_use")) {
      const b = block as { id: string; name: string; input: unknown };
      events.push(["content_block_start", {
        type: "content_block_start",
        index,
        content_block: { type: "tool_use", id: b.id, name: b.name, input: {} },
      }]);
      const json = JSON.stringify(b.input);
      const cut = Math.floor(json.length / 2);
      for (const part of ["", json.slice(0, cut), json.slice(cut)]) {
        events.push(["content_block_delta", {
          type: "content_block_delta",
          index,
          delta: { type: "input_json_delta", partial_json: part },
        }]);
      }
      events.push(["content_block_stop", { type: "content_block_stop", index }]);
      index++;
    }
  }
  events.push(["message_delta", {
    type: "message_delta",
    delta: { stop_reason: reply.kind === "tools" ? "tool_use" : "end_turn", stop_sequence: null },
    usage: { output_tokens: usage.output_tokens },
  }]);
  events.push(["message_stop", { type: "message_stop" }]);
  return sse(events);
}

export function startFakeAnthropic(): Promise<FakeAnthropic> {
  const queue: Reply[] = [];
  const requests: Record<string, unknown>[] = [];
  const seen = new Set<string>();
  const ac = new AbortController();
  return new Promise((resolve) => {
    const server = Deno.serve({
      hostname: "127.0.0.1",
      port: 0,
      signal: ac.signal,
      onListen: ({ port }) =>
        resolve({
          url: `http://127.0.0.1:${port}`,
          requests,
          script: (...replies) => queue.push(...replies),
          close: async () => {
            ac.abort();
            await server.finished;
          },
        }),
    }, async (req) => {
      const url = new URL(req.url);
      // The contract (§2) takes the key as `x-api-key` or as `Authorization: Bearer`; the SDK
      // version pinned in deno.json sends the latter.
      const key = req.headers.get("x-api-key") ??
        req.headers.get("authorization")?.replace(/^Bearer /, "");
      if (key !== FAKE_API_KEY) {
        return errorResponse(401, "authentication_error", "invalid x-api-key");
      }
      if (!req.headers.get("anthropic-version")) {
        return errorResponse(400, "invalid_request_error", "anthropic-version header is required");
      }
      if (req.method === "GET" && url.pathname === "/v1/models") {
        const model = {
          type: "model",
          id: "claude-sonnet-4-5-20250929",
          display_name: "Claude Sonnet 4.5",
          created_at: "2025-09-29T00:00:00Z",
        };
        return Response.json({
          data: [model],
          has_more: false,
          first_id: model.id,
          last_id: model.id,
        }, {
          headers: headers(),
        });
      }
      if (req.method !== "POST" || url.pathname !== "/v1/messages") {
        return errorResponse(404, "not_found_error", `${req.method} ${url.pathname} not found`);
      }
      let body: Record<string, unknown>;
      try {
        body = await req.json();
      } catch {
        return errorResponse(400, "invalid_request_error", "body is not JSON");
      }
      if (
        typeof body.model !== "string" || typeof body.max_tokens !== "number" ||
        !Array.isArray(body.messages) || body.messages.length === 0
      ) {
        return errorResponse(
          400,
          "invalid_request_error",
          "model, max_tokens and messages are required",
        );
      }
      requests.push(body);
      const reply = queue.shift();
      if (!reply) return errorResponse(500, "api_error", "the fake has no scripted reply left");
      if (reply.kind === "error") {
        return errorResponse(reply.status, reply.type, reply.message ?? reply.type, {
          ...(reply.retryAfter !== undefined ? { "retry-after": String(reply.retryAfter) } : {}),
          "x-should-retry": reply.status === 429 || reply.status >= 500 ? "true" : "false",
        });
      }
      const text = reply.kind === "tools" ? reply.text ?? "" : String(reply.text);
      const usage = usageFor(body, seen, Math.max(1, Math.ceil(text.length / 4)));
      if (body.stream) {
        return new Response(enc.encode(streamed(reply, body.model, usage)), {
          headers: headers({ "content-type": "text/event-stream; charset=utf-8" }),
        });
      }
      return Response.json({
        id: id("msg"),
        type: "message",
        role: "assistant",
        model: body.model,
        content: contentOf(reply),
        stop_reason: reply.kind === "tools" ? "tool_use" : "end_turn",
        stop_sequence: null,
        usage,
      }, { headers: headers() });
    });
  });
}
