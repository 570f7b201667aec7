/**
 * The chat's storage: a user's conversations, their messages, and the token usage the daily
 * budget counts. Every read and write is scoped by the owner's user id, so another user's
 * conversation looks exactly like one that does not exist.
 */
import type { Queryable } from "../db/database.ts";
import type { AnalystKind, ChatMessage, ToolCallRecord, Usage } from "./types.ts";

export type MessageStatus = "complete" | "error" | "aborted";

export interface Conversation {
  id: string;
  title: string;
  createdAt: string;
  updatedAt: string;
}

export interface StoredMessage {
  id: string;
  role: "user" | "assistant";
  content: string;
  status: MessageStatus;
  analyst: AnalystKind | null;
  model: string | null;
  toolCalls: ToolCallRecord[];
  unverified: string[];
  inputTokens: number;
  outputTokens: number;
  createdAt: string;
}

export const TITLE_MAX = 120;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A title from the first message: its first line, shortened at a word where it can be. */
export function titleFrom(message: string): string {
  const line = message.trim().split("\n")[0].trim() || "New conversation";
  if (line.length <= 60) return line;
  const cut = line.slice(0, 60);
  const space = cut.lastIndexOf(" ");
  return `${space > 30 ? cut.slice(0, space) : cut}…`;
}

interface ConversationRow {
  id: string;
  title: string;
  created_at: Date;
  updated_at: Date;
}

const toConversation = (r: ConversationRow): Conversation => ({
  id: r.id,
  title: r.title,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

export async function createConversation(
  db: Queryable,
  userId: number,
  title: string,
): Promise<Conversation> {
  const [row] = await db.query<ConversationRow>(
    `insert into ai_conversations (user_id, title) values ($1, $2)
     returning id, title, created_at, updated_at`,
    [userId, title.slice(0, TITLE_MAX)],
  );
  return toConversation(row);
}

/** The conversation when `userId` owns it; undefined for a stranger's or a malformed id. */
export async function getConversation(
  db: Queryable,
  userId: number,
  id: string,
): Promise<Conversation | undefined> {
  if (!UUID.test(id)) return undefined;
  const [row] = await db.query<ConversationRow>(
    `select id, title, created_at, updated_at from ai_conversations
     where id = $1 and user_id = $2`,
    [id, userId],
  );
  return row && toConversation(row);
}

export async function listConversations(
  db: Queryable,
  userId: number,
  limit = 100,
): Promise<Conversation[]> {
  const rows = await db.query<ConversationRow>(
    `select id, title, created_at, updated_at from ai_conversations
     where user_id = $1 order by updated_at desc, id limit $2`,
    [userId, limit],
  );
  return rows.map(toConversation);
}

export async function renameConversation(
  db: Queryable,
  userId: number,
  id: string,
  title: string,
): Promise<Conversation | undefined> {
  if (!UUID.test(id)) return undefined;
  const [row] = await db.query<ConversationRow>(
    `update ai_conversations set title = $3, updated_at = now()
     where id = $1 and user_id = $2 returning id, title, created_at, updated_at`,
    [id, userId, title.slice(0, TITLE_MAX)],
  );
  return row && toConversation(row);
}

/** Deletes the conversation and its messages; false when there was none of this user's. */
export async function deleteConversation(
  db: Queryable,
  userId: number,
  id: string,
): Promise<boolean> {
  if (!UUID.test(id)) return false;
  const rows = await db.query(
    `delete from ai_conversations where id = $1 and user_id = $2 returning id`,
    [id, userId],
  );
  return rows.length > 0;
}

export interface NewMessage {
  role: "user" | "assistant";
  content: string;
  status?: MessageStatus;
  analyst?: AnalystKind;
  model?: string;
  toolCalls?: ToolCallRecord[];
  unverified?: string[];
  usage?: Usage;
}

interface MessageRow {
  id: string;
  role: "user" | "assistant";
  content: string;
  status: MessageStatus;
  analyst: AnalystKind | null;
  model: string | null;
  tool_calls: ToolCallRecord[];
  unverified: string[];
  input_tokens: number;
  output_tokens: number;
  created_at: Date;
}

const toMessage = (r: MessageRow): StoredMessage => ({
  id: r.id,
  role: r.role,
  content: r.content,
  status: r.status,
  analyst: r.analyst,
  model: r.model,
  toolCalls: r.tool_calls,
  unverified: r.unverified,
  inputTokens: r.input_tokens,
  outputTokens: r.output_tokens,
  createdAt: r.created_at.toISOString(),
});

const MESSAGE_COLUMNS = `id, role, content, status, analyst, model, tool_calls, unverified,
  input_tokens, output_tokens, created_at`;

/**
 * Appends a message to a conversation the caller has already checked belongs to the user, and
 * moves the conversation to the top of the list.
 */
export async function addMessage(
  db: Queryable,
  conversationId: string,
  message: NewMessage,
): Promise<StoredMessage> {
  const usage = message.usage;
  const [row] = await db.query<MessageRow>(
    `insert into ai_messages (conversation_id, role, content, status, analyst, model,
       tool_calls, unverified, input_tokens, output_tokens)
     values ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb, $9, $10)
     returning ${MESSAGE_COLUMNS}`,
    [
      conversationId,
      message.role,
      message.content,
      message.status ?? "complete",
      message.analyst ?? null,
      message.model ?? null,
      message.toolCalls ?? [],
      message.unverified ?? [],
      usage?.inputTokens ?? 0,
      usage?.outputTokens ?? 0,
    ],
  );
  await db.query(`update ai_conversations set updated_at = now() where id = $1`, [
    conversationId,
  ]);
  return toMessage(row);
}

export async function listMessages(
  db: Queryable,
  conversationId: string,
): Promise<StoredMessage[]> {
  const rows = await db.query<MessageRow>(
    `select ${MESSAGE_COLUMNS} from ai_messages where conversation_id = $1 order by seq`,
    [conversationId],
  );
  return rows.map(toMessage);
}

/**
 * The history an analyst continues from: complete messages only, so a half-streamed answer is
 * not presented to the model as something it said. A user message whose answer failed stays,
 * because the user did ask it.
 */
export function historyOf(messages: StoredMessage[]): ChatMessage[] {
  return messages
    .filter((m) => m.status === "complete")
    .map((m) => ({ role: m.role, content: m.content }));
}

export async function recordUsage(
  db: Queryable,
  userId: number,
  kind: string,
  analyst: AnalystKind,
  model: string,
  usage: Usage,
): Promise<void> {
  await db.query(
    `insert into ai_usage (user_id, kind, analyst, model, input_tokens, output_tokens,
       cache_read_tokens, cache_creation_tokens)
     values ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      userId,
      kind,
      analyst,
      model,
      usage.inputTokens,
      usage.outputTokens,
      usage.cacheReadTokens,
      usage.cacheCreationTokens,
    ],
  );
}

/**
 * Tokens the user spent since the start of the current UTC day. Cache reads count too: they
 * are cheaper but not free, and a budget that ignores them can be run around.
 */
export async function tokensUsedToday(
  db: Queryable,
  userId: number,
  now: Date = new Date(),
): Promise<number> {
  const dayStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const [row] = await db.query<{ total: number }>(
    `select coalesce(sum(input_tokens + output_tokens + cache_read_tokens
       + cache_creation_tokens), 0)::int8 as total
     from ai_usage where user_id = $1 and at >= $2`,
    [userId, dayStart],
  );
  return row.total;
}
