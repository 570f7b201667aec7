/**
 * The chat API on the real app: a scripted analyst (the Analyst interface, swapped into the
 * app's services) streams events; the route must pass them on in order, store the turn, and
 * keep users apart.
 */
import assert from "node:assert/strict";
import { openTestApp, type TestApp } from "./_harness.ts";
import { signUp } from "./_auth.ts";
import { call } from "./_api.ts";
import {
  type Analyst,
  AnalystError,
  type StructuredResult,
  type ToolCallRecord,
  type TurnEvent,
  type TurnRequest,
  type TurnResult,
} from "../lib/ai/types.ts";
import { hitRateLimit, WINDOW_MS } from "../lib/auth/rate_limit.ts";
import { CHAT_TURNS_PER_MINUTE } from "../routes/api/claude.ts";

const QUOTE_CALL: ToolCallRecord = {
  id: "t1",
  name: "get_quote",
  input: { symbol: "AAPL" },
  ok: true,
  source: "replay",
  asOf: "2026-01-02T15:00:00.000Z",
  output: { symbol: "AAPL", last: 187.25 },
  ms: 2,
};

/** Plays a fixed script; `failAfterText` throws once the text has streamed. */
class ScriptedAnalyst implements Analyst {
  readonly kind = "offline";
  readonly model = "offline";
  requests: TurnRequest[] = [];
  constructor(
    readonly script: { deltas: string[]; fail?: AnalystError; waitForAbort?: boolean },
  ) {}
  async turn(req: TurnRequest, onEvent: (e: TurnEvent) => void): Promise<TurnResult> {
    this.requests.push(req);
    onEvent({
      type: "tool_call",
      id: QUOTE_CALL.id,
      name: QUOTE_CALL.name,
      input: QUOTE_CALL.input,
    });
    onEvent({ type: "tool_result", call: QUOTE_CALL });
    for (const delta of this.script.deltas) onEvent({ type: "text", delta });
    if (this.script.waitForAbort) {
      await new Promise<void>((resolve) => {
        if (req.signal?.aborted) resolve();
        req.signal?.addEventListener("abort", () => resolve(), { once: true });
      });
      throw new AnalystError("aborted", "aborted");
    }
    if (this.script.fail) throw this.script.fail;
    return {
      text: this.script.deltas.join(""),
      analyst: "offline",
      model: "offline",
      usage: { inputTokens: 30, outputTokens: 12, cacheReadTokens: 0, cacheCreationTokens: 0 },
      toolCalls: [QUOTE_CALL],
    };
  }
  structured<T>(): Promise<StructuredResult<T>> {
    return Promise.reject(new Error("not scripted"));
  }
  ping(): Promise<void> {
    return Promise.resolve();
  }
}

interface SseEvent {
  event: string;
  // deno-lint-ignore no-explicit-any
  data: any;
}

function parseSse(text: string): SseEvent[] {
  return text.split("\n\n").filter((b) => b.trim()).map((block) => {
    const lines = block.split("\n");
    const event = lines.find((l) => l.startsWith("event: "))!.slice(7);
    const data = JSON.parse(lines.find((l) => l.startsWith("data: "))!.slice(6));
    return { event, data };
  });
}

async function chat(
  t: TestApp,
  bearer: Record<string, string>,
  body: unknown,
): Promise<{ status: number; events: SseEvent[]; json?: unknown }> {
  const res = await t.app.request("/api/claude/chat", {
    method: "POST",
    headers: { ...bearer, "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!res.headers.get("Content-Type")?.startsWith("text/event-stream")) {
    return { status: res.status, events: [], json: await res.json() };
  }
  return { status: res.status, events: parseSse(await res.text()) };
}

async function withApp(fn: (t: TestApp) => Promise<void>): Promise<void> {
  const t = await openTestApp();
  try {
    await fn(t);
  } finally {
    await t.close();
  }
}

Deno.test("chat: events stream in order, done names the stored message", () =>
  withApp(async (t) => {
    const analyst = new ScriptedAnalyst({ deltas: ["AAPL is ", "187.25", " (replay)."] });
    t.services.analyst = analyst;
    const a = await signUp(t.app);
    const res = await chat(t, a.bearer, {
      message: "What is the price of AAPL?",
      context: { stage: "symbol", symbol: "aapl" },
    });
    assert.equal(res.status, 200);
    assert.deepEqual(res.events.map((e) => e.event), [
      "conversation",
      "tool_call",
      "tool_result",
      "text",
      "text",
      "text",
      "done",
    ]);
    const done = res.events.at(-1)!.data;
    assert.equal(done.text, "AAPL is 187.25 (replay).");
    assert.equal(done.analyst, "offline");
    assert.equal(done.usage.outputTokens, 12);
    assert.deepEqual(analyst.requests[0].context, { stage: "symbol", symbol: "AAPL" });

    const got = await call(
      { t, bearer: a.bearer },
      "GET",
      `/api/claude/conversations/${done.conversationId}`,
    );
    assert.equal(got.status, 200);
    assert.deepEqual(
      got.body.messages.map((m: { role: string; status: string }) => [m.role, m.status]),
      [["user", "complete"], ["assistant", "complete"]],
    );
    assert.equal(got.body.messages[1].id, done.messageId);
    assert.deepEqual(got.body.messages[1].toolCalls, [QUOTE_CALL]);

    // A follow-up carries the history of the first turn.
    await chat(t, a.bearer, { conversationId: done.conversationId, message: "And now?" });
    assert.deepEqual(analyst.requests[1].history.map((m) => m.role), ["user", "assistant"]);
  }));

Deno.test("chat: a mid-stream failure stores the partial answer as error, never complete", () =>
  withApp(async (t) => {
    t.services.analyst = new ScriptedAnalyst({
      deltas: ["AAPL is "],
      fail: new AnalystError("overloaded", "The analyst is overloaded; try again shortly.", 20),
    });
    const a = await signUp(t.app);
    const res = await chat(t, a.bearer, { message: "price?" });
    const last = res.events.at(-1)!;
    assert.equal(last.event, "error");
    assert.deepEqual(last.data, {
      code: "overloaded",
      message: "The analyst is overloaded; try again shortly.",
      retryAfterSeconds: 20,
    });
    const id = res.events[0].data.conversationId;
    const got = await call({ t, bearer: a.bearer }, "GET", `/api/claude/conversations/${id}`);
    const answer = got.body.messages[1];
    assert.equal(answer.status, "error");
    assert.equal(answer.content, "AAPL is ");
  }));

Deno.test("chat: a client that goes away aborts the turn, stored as aborted", () =>
  withApp(async (t) => {
    const analyst = new ScriptedAnalyst({ deltas: ["partial"], waitForAbort: true });
    t.services.analyst = analyst;
    const a = await signUp(t.app);
    const res = await t.app.request("/api/claude/chat", {
      method: "POST",
      headers: { ...a.bearer, "Content-Type": "application/json" },
      body: JSON.stringify({ message: "price?" }),
    });
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let seen = "";
    while (!seen.includes("partial")) seen += decoder.decode((await reader.read()).value);
    await reader.cancel();
    const id = parseSse(seen.slice(0, seen.indexOf("\n\n") + 2))[0].data.conversationId;
    // The answer row appears once the route has seen the abort; poll the API for it.
    let status: string | undefined;
    while (status === undefined) {
      const got = await call({ t, bearer: a.bearer }, "GET", `/api/claude/conversations/${id}`);
      status = got.body.messages[1]?.status;
      if (status === undefined) await new Promise((r) => setTimeout(r, 10));
    }
    assert.equal(status, "aborted");
    assert.equal(analyst.requests[0].signal?.aborted, true);
  }));

Deno.test("chat: another user's conversation is a 404 everywhere", () =>
  withApp(async (t) => {
    t.services.analyst = new ScriptedAnalyst({ deltas: ["hi"] });
    const a = await signUp(t.app);
    const b = await signUp(t.app);
    const res = await chat(t, a.bearer, { message: "hello" });
    const id = res.events[0].data.conversationId;
    const asB = { t, bearer: b.bearer };
    assert.deepEqual((await call(asB, "GET", "/api/claude/conversations")).body, {
      conversations: [],
    });
    assert.equal((await call(asB, "GET", `/api/claude/conversations/${id}`)).status, 404);
    assert.equal(
      (await call(asB, "PATCH", `/api/claude/conversations/${id}`, { title: "x" })).status,
      404,
    );
    assert.equal((await call(asB, "DELETE", `/api/claude/conversations/${id}`)).status, 404);
    const cont = await chat(t, b.bearer, { conversationId: id, message: "continue" });
    assert.equal(cont.status, 404);
    const asA = { t, bearer: a.bearer };
    const list = await call(asA, "GET", "/api/claude/conversations");
    assert.equal(list.body.conversations.length, 1);
    assert.equal(
      (await call(asA, "PATCH", `/api/claude/conversations/${id}`, { title: "Renamed" })).body
        .conversation.title,
      "Renamed",
    );
    assert.equal((await call(asA, "DELETE", `/api/claude/conversations/${id}`)).status, 204);
    assert.equal((await call(asA, "GET", `/api/claude/conversations/${id}`)).status, 404);
  }));

Deno.test("chat: bad input is a 400 JSON error, a spent budget a 429", () =>
  withApp(async (t) => {
    t.services.analyst = new ScriptedAnalyst({ deltas: ["hi"] });
    const a = await signUp(t.app);
    for (
      const body of [
        {},
        { message: "" },
        { message: "x".repeat(4_001) },
        { message: "hi", context: { symbol: "<script>" } },
        { message: "hi", conversationId: "nope" },
        { message: "hi", extra: 1 },
      ]
    ) {
      const res = await chat(t, a.bearer, body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal((res.json as { error: { code: string } }).error.code, "validation_failed");
    }
    await t.services.db.query(
      `insert into ai_usage (user_id, kind, analyst, model, input_tokens) values ($1, 'chat', 'claude', 'm', $2)`,
      [a.user.id, t.services.config.ANALYST_DAILY_TOKEN_BUDGET],
    );
    const refused = await chat(t, a.bearer, { message: "hi" });
    assert.equal(refused.status, 429);
    const error = (refused.json as {
      error: { code: string; details: { retryAfterSeconds: number } };
    }).error;
    assert.equal(error.code, "budget_exhausted");
    assert.ok(error.details.retryAfterSeconds > 0 && error.details.retryAfterSeconds <= 86_400);
  }));

Deno.test("chat: the offline analyst's answer is grounded in its stored tool call", () =>
  withApp(async (t) => {
    const a = await signUp(t.app);
    const res = await chat(t, a.bearer, {
      message: "What is the price of AAPL?",
      context: { symbol: "AAPL" },
    });
    const done = res.events.at(-1)!;
    assert.equal(done.event, "done", JSON.stringify(done.data));
    assert.equal(done.data.analyst, "offline");
    assert.deepEqual(done.data.unverified, []);
    const results = res.events.filter((e) => e.event === "tool_result");
    assert.ok(results.length > 0);
    const got = await call(
      { t, bearer: a.bearer },
      "GET",
      `/api/claude/conversations/${done.data.conversationId}`,
    );
    const stored = got.body.messages[1];
    assert.equal(stored.status, "complete");
    assert.deepEqual(stored.toolCalls, results.map((e) => e.data.call));
  }));

Deno.test("chat: turns past the per-minute limit are refused with 429", () =>
  withApp(async (t) => {
    t.services.analyst = new ScriptedAnalyst({ deltas: ["ok"] });
    const a = await signUp(t.app);
    assert.equal((await chat(t, a.bearer, { message: "first" })).status, 200);
    // Spend the rest of this minute's turns through the limiter itself, then ask once more; a
    // minute boundary crossed on the way starts a fresh window, so the round is repeated.
    const windowNow = () => Math.floor(Date.now() / WINDOW_MS);
    for (;;) {
      const window = windowNow();
      for (let i = 0; i < CHAT_TURNS_PER_MINUTE; i++) {
        await hitRateLimit(t.services.kv, "ai_chat", String(a.user.id), CHAT_TURNS_PER_MINUTE);
      }
      const refused = await chat(t, a.bearer, { message: "one more" });
      if (windowNow() !== window) continue;
      assert.equal(refused.status, 429);
      assert.equal((refused.json as { error: { code: string } }).error.code, "rate_limited");
      return;
    }
  }));
