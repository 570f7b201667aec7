/**
 * `/api/claude`: the analyst chat.
 *
 * - `POST /chat` `{ conversationId?, message, context?: { stage?, symbol? } }` — server-sent
 *   events: `conversation` ({conversationId}) first, then `text` ({delta}), `tool_call`,
 *   `tool_result` as the turn runs, and finally `done` ({conversationId, messageId, text,
 *   analyst, model, usage, unverified}) or `error` ({code, message, retryAfterSeconds?}).
 *   Refused before the stream starts: 429 `rate_limited` (too many turns a minute) and 429
 *   `budget_exhausted` (the day's tokens are spent), 404 for a conversation that is not yours.
 * - `GET /conversations`, `GET|PATCH|DELETE /conversations/:id`.
 *
 * The user's message is stored before the turn; the answer is stored after it, `complete` only
 * when the turn finished, else `error`/`aborted` with what had been streamed.
 */
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../lib/state.ts";
import { jsonBody, requireUser } from "../../lib/auth/guards.ts";
import { HttpError, NotFoundError } from "../../lib/http/errors.ts";
import { hitRateLimit } from "../../lib/auth/rate_limit.ts";
import {
  addMessage,
  createConversation,
  deleteConversation,
  getConversation,
  historyOf,
  listConversations,
  listMessages,
  recordUsage,
  renameConversation,
  TITLE_MAX,
  titleFrom,
  tokensUsedToday,
} from "../../lib/ai/conversations.ts";
import { checkGrounding } from "../../lib/ai/grounding.ts";
import {
  AnalystError,
  NO_USAGE,
  type ToolCallRecord,
  type TurnEvent,
  type TurnResult,
} from "../../lib/ai/types.ts";
import { describeRoutes } from "../../lib/http/openapi/mod.ts";

/** Chat turns a user may start a minute. */
export const CHAT_TURNS_PER_MINUTE = 12;
export const MESSAGE_MAX = 4_000;

const SYMBOL = /^[A-Z][A-Z0-9.\-]{0,9}$/;

export const chatRequestSchema = z.strictObject({
  conversationId: z.uuid().optional(),
  message: z.string().trim().min(1).max(MESSAGE_MAX),
  context: z.strictObject({
    stage: z.string().regex(/^[a-z][a-z0-9-]{0,30}$/).optional(),
    symbol: z.string().toUpperCase().regex(SYMBOL).optional(),
  }).optional(),
});

const renameSchema = z.strictObject({ title: z.string().trim().min(1).max(TITLE_MAX) });
const idSchema = z.uuid();

function conversationId(raw: string): string {
  const parsed = idSchema.safeParse(raw);
  if (!parsed.success) throw new NotFoundError("No such conversation.");
  return parsed.data;
}

const claude = new Hono<AppEnv>();

const conversationParams = { id: idSchema };
describeRoutes(claude, "Analyst chat", {
  "POST /chat": {
    summary: "Ask the analyst; the answer streams as server-sent events",
    description: "Events: `conversation`, then `text`, `tool_call`, `tool_result`, and finally " +
      "`done` or `error`.",
    body: chatRequestSchema,
    example: { message: "How is AAPL doing today?", context: { stage: "positions" } },
    responses: {
      200: { description: "The turn as server-sent events", contentType: "text/event-stream" },
      404: "Not the caller's conversation",
      429: "`rate_limited` (turns a minute), `budget_exhausted` (the day's tokens)",
    },
  },
  "GET /conversations": {
    summary: "The caller's conversations",
    responses: { 200: "`{ conversations }`" },
  },
  "GET /conversations/:id": {
    summary: "A conversation with its messages",
    params: conversationParams,
    responses: { 200: "`{ conversation, messages }`", 404: "Not the caller's" },
  },
  "PATCH /conversations/:id": {
    summary: "Rename a conversation",
    params: conversationParams,
    body: renameSchema,
    example: { title: "AAPL earnings" },
    responses: { 200: "`{ conversation }`", 404: "Not the caller's" },
  },
  "DELETE /conversations/:id": {
    summary: "Delete a conversation",
    params: conversationParams,
    responses: { 204: "Deleted", 404: "Not the caller's" },
  },
});

claude.post("/chat", async (c) => {
  const user = requireUser(c);
  const request = chatRequestSchema.parse(await jsonBody(c));
  const services = c.get("services");
  const { db, kv, analyst } = services;

  const limit = await hitRateLimit(kv, "ai_chat", String(user.id), CHAT_TURNS_PER_MINUTE);
  if (!limit.allowed) {
    throw new HttpError(429, "rate_limited", "Too many questions; wait a moment.", {
      retryAfterSeconds: limit.resetSeconds,
    }, { "Retry-After": String(limit.resetSeconds) });
  }
  // An operator's setting (ANALYST_DAILY_TOKEN_BUDGET), not a user's: it caps what PaiiD spends.
  const budget = services.config.ANALYST_DAILY_TOKEN_BUDGET;
  const used = await tokensUsedToday(db, user.id);
  if (used >= budget) {
    const now = new Date();
    const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
    const retryAfterSeconds = Math.ceil((midnight - now.getTime()) / 1000);
    throw new HttpError(
      429,
      "budget_exhausted",
      "Today's analyst budget is spent; it resets at midnight UTC.",
      { used, budget, retryAfterSeconds },
      { "Retry-After": String(retryAfterSeconds) },
    );
  }

  const existing = request.conversationId
    ? await getConversation(db, user.id, request.conversationId)
    : await createConversation(db, user.id, titleFrom(request.message));
  if (!existing) throw new NotFoundError("No such conversation.");
  const conv = existing;
  const history = historyOf(await listMessages(db, conv.id));
  await addMessage(db, conv.id, { role: "user", content: request.message });

  // The turn stops when the client goes: the request's signal (Deno.serve fires it on a closed
  // connection) or the response stream being cancelled, whichever is seen first.
  const abort = new AbortController();
  const onClientGone = () => abort.abort(new AnalystError("aborted", "The client went away."));
  c.req.raw.signal.addEventListener("abort", onClientGone, { once: true });
  const encoder = new TextEncoder();

  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (event: string, data: unknown) => {
        if (abort.signal.aborted) return;
        try {
          controller.enqueue(encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
        } catch {
          onClientGone();
        }
      };
      let streamed = "";
      const calls: ToolCallRecord[] = [];
      send("conversation", { conversationId: conv.id, title: conv.title });
      const onEvent = (e: TurnEvent) => {
        if (e.type === "text") {
          streamed += e.delta;
          send("text", { delta: e.delta });
        } else if (e.type === "tool_call") {
          send("tool_call", { id: e.id, name: e.name, input: e.input });
        } else {
          calls.push(e.call);
          send("tool_result", { call: e.call });
        }
      };
      let result: TurnResult | undefined;
      let failure: unknown;
      try {
        result = await analyst.turn({
          userId: user.id,
          history,
          message: request.message,
          context: request.context,
          signal: abort.signal,
        }, onEvent);
      } catch (err) {
        failure = err;
      }
      try {
        if (result && !abort.signal.aborted) {
          const grounding = checkGrounding(result.text, result.toolCalls, request.message);
          const saved = await addMessage(db, conv.id, {
            role: "assistant",
            content: result.text,
            analyst: result.analyst,
            model: result.model,
            toolCalls: result.toolCalls,
            unverified: grounding.unverified,
            usage: result.usage,
          });
          await recordUsage(db, user.id, "chat", result.analyst, result.model, result.usage);
          // Unverified figures are counted so a prompt or model change that makes them common
          // shows in the logs.
          services.log.info("ai chat turn", {
            userId: user.id,
            analyst: result.analyst,
            toolCalls: result.toolCalls.length,
            figures: grounding.checked,
            unverified: grounding.unverified.length,
          });
          send("done", {
            conversationId: conv.id,
            messageId: saved.id,
            text: result.text,
            analyst: result.analyst,
            model: result.model,
            usage: result.usage,
            unverified: grounding.unverified,
            toolCalls: result.toolCalls,
          });
        } else {
          const aborted = abort.signal.aborted;
          const usage = result?.usage ?? NO_USAGE;
          await addMessage(db, conv.id, {
            role: "assistant",
            content: result?.text ?? streamed,
            status: aborted ? "aborted" : "error",
            analyst: analyst.kind,
            model: analyst.model,
            toolCalls: result?.toolCalls ?? calls,
            usage,
          });
          await recordUsage(db, user.id, "chat", analyst.kind, analyst.model, usage);
          if (!aborted) send("error", errorEvent(failure));
          services.log.info("ai chat turn ended early", {
            userId: user.id,
            status: aborted ? "aborted" : "error",
            code: failure instanceof AnalystError ? failure.code : "internal",
          });
        }
      } catch (err) {
        services.log.error("ai chat: storing the answer failed", {
          error: err instanceof Error ? err.message : String(err),
        });
        send("error", { code: "internal", message: "The answer could not be saved." });
      } finally {
        c.req.raw.signal.removeEventListener("abort", onClientGone);
        try {
          controller.close();
        } catch { /* already closed by a cancel */ }
      }
    },
    cancel() {
      onClientGone();
    },
  });

  return new Response(body, {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-store",
      "X-Accel-Buffering": "no",
    },
  });
});

/** What the chat shows for a failed turn: the analyst's own plain words, never internals. */
function errorEvent(err: unknown): { code: string; message: string; retryAfterSeconds?: number } {
  if (err instanceof AnalystError) {
    return {
      code: err.code,
      message: err.message,
      ...(err.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: err.retryAfterSeconds }),
    };
  }
  return { code: "internal", message: "The analyst failed; try again." };
}

claude.get("/conversations", async (c) => {
  const user = requireUser(c);
  c.header("Cache-Control", "no-store");
  return c.json({ conversations: await listConversations(c.get("services").db, user.id) });
});

claude.get("/conversations/:id", async (c) => {
  const user = requireUser(c);
  const { db } = c.get("services");
  const conv = await getConversation(db, user.id, conversationId(c.req.param("id")));
  if (!conv) throw new NotFoundError("No such conversation.");
  c.header("Cache-Control", "no-store");
  return c.json({ conversation: conv, messages: await listMessages(db, conv.id) });
});

claude.patch("/conversations/:id", async (c) => {
  const user = requireUser(c);
  const id = conversationId(c.req.param("id"));
  const { title } = renameSchema.parse(await jsonBody(c));
  const conv = await renameConversation(c.get("services").db, user.id, id, title);
  if (!conv) throw new NotFoundError("No such conversation.");
  return c.json({ conversation: conv });
});

claude.delete("/conversations/:id", async (c) => {
  const user = requireUser(c);
  const id = conversationId(c.req.param("id"));
  if (!await deleteConversation(c.get("services").db, user.id, id)) {
    throw new NotFoundError("No such conversation.");
  }
  return c.body(null, 204);
});

export default claude;
