/** The chat's storage on both database backends: ownership, message order, usage per day. */
import assert from "node:assert/strict";
import { createTestUser, withTestDatabases } from "../db/testing.ts";
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
  titleFrom,
  tokensUsedToday,
} from "./conversations.ts";

withTestDatabases("conversations: a user sees, renames and deletes only their own", async (db) => {
  const alice = await createTestUser(db);
  const bob = await createTestUser(db);
  const mine = await createConversation(db, alice, "AAPL price");
  assert.equal((await getConversation(db, alice, mine.id))?.title, "AAPL price");
  assert.equal(await getConversation(db, bob, mine.id), undefined);
  assert.equal(await getConversation(db, alice, "not-a-uuid"), undefined);
  assert.deepEqual(await listConversations(db, bob), []);
  assert.equal(await renameConversation(db, bob, mine.id, "stolen"), undefined);
  assert.equal(await deleteConversation(db, bob, mine.id), false);
  assert.equal((await renameConversation(db, alice, mine.id, "Apple"))?.title, "Apple");
  assert.deepEqual((await listConversations(db, alice)).map((c) => c.title), ["Apple"]);
  assert.equal(await deleteConversation(db, alice, mine.id), true);
  assert.deepEqual(await listConversations(db, alice), []);
});

withTestDatabases("conversations: messages keep order, status and tool calls", async (db) => {
  const user = await createTestUser(db);
  const conv = await createConversation(db, user, "t");
  await addMessage(db, conv.id, { role: "user", content: "price of AAPL?" });
  const call = {
    id: "c1",
    name: "get_quote",
    input: { symbol: "AAPL" },
    ok: true,
    source: "replay",
    output: { last: 190.5 },
    ms: 3,
  };
  await addMessage(db, conv.id, {
    role: "assistant",
    content: "AAPL is 190.50",
    analyst: "offline",
    model: "offline",
    toolCalls: [call],
    unverified: ["42"],
    usage: { inputTokens: 10, outputTokens: 5, cacheReadTokens: 0, cacheCreationTokens: 0 },
  });
  await addMessage(db, conv.id, { role: "user", content: "and MSFT?" });
  await addMessage(db, conv.id, { role: "assistant", content: "MSFT is", status: "aborted" });
  const messages = await listMessages(db, conv.id);
  assert.deepEqual(messages.map((m) => [m.role, m.status]), [
    ["user", "complete"],
    ["assistant", "complete"],
    ["user", "complete"],
    ["assistant", "aborted"],
  ]);
  assert.deepEqual(messages[1].toolCalls, [call]);
  assert.deepEqual(messages[1].unverified, ["42"]);
  assert.equal(messages[1].outputTokens, 5);
  assert.deepEqual(historyOf(messages).map((m) => m.content), [
    "price of AAPL?",
    "AAPL is 190.50",
    "and MSFT?",
  ]);
});

withTestDatabases(
  "conversations: today's tokens count this user's usage since UTC midnight",
  async (db) => {
    const user = await createTestUser(db);
    const other = await createTestUser(db);
    const usage = {
      inputTokens: 100,
      outputTokens: 20,
      cacheReadTokens: 3,
      cacheCreationTokens: 2,
    };
    await recordUsage(db, user, "chat", "claude", "m", usage);
    await recordUsage(db, user, "chat", "claude", "m", usage);
    await recordUsage(db, other, "chat", "claude", "m", usage);
    await db.query(
      `insert into ai_usage (user_id, kind, analyst, model, input_tokens, at)
     values ($1, 'chat', 'claude', 'm', 9999, now() - interval '2 days')`,
      [user],
    );
    assert.equal(await tokensUsedToday(db, user), 250);
  },
);

Deno.test("titleFrom: first line, cut at a word", () => {
  assert.equal(titleFrom("  hello\nworld"), "hello");
  const long = titleFrom("word ".repeat(30));
  assert.ok(long.length <= 61 && long.endsWith("…"));
});

withTestDatabases(
  "conversations: messages stored within one clock tick keep their order",
  async (db) => {
    const user = await createTestUser(db);
    const conv = await createConversation(db, user, "t");
    // Forty inserts in a row: several share a created_at (PGlite's clock has millisecond steps),
    // which a random uuid used to order.
    for (let i = 0; i < 40; i++) {
      await addMessage(db, conv.id, { role: i % 2 ? "assistant" : "user", content: `m${i}` });
    }
    const contents = (await listMessages(db, conv.id)).map((m) => m.content);
    assert.deepEqual(contents, Array.from({ length: 40 }, (_, i) => `m${i}`));
  },
);
