/**
 * The chat panel, loaded on the first open of the chat (islands/AIChat.tsx imports it
 * dynamically, so pages that never open the chat never download it).
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { Markdown } from "./markdown.tsx";
import { readSse } from "./sse.ts";

export interface ChatPanelProps {
  open: boolean;
  csrfToken: string;
  stage?: string;
  symbol?: string;
  onClose: () => void;
}

interface Step {
  id: string;
  name: string;
  input: unknown;
  ok?: boolean;
  source?: string;
  output?: unknown;
  error?: string;
}

interface Turn {
  role: "user" | "assistant";
  text: string;
  steps: Step[];
  unverified: string[];
  analyst?: string;
  status: "streaming" | "complete" | "error" | "aborted";
  error?: { code: string; message: string };
}

interface ConversationSummary {
  id: string;
  title: string;
}

/** Plain words for the failures a user can do something about. */
export function errorText(code: string, message: string, retryAfter?: number): string {
  if (code === "overloaded" || code === "rate_limited") {
    return `The analyst is busy${retryAfter ? `; try again in ${retryAfter} s` : "; try again"}.`;
  }
  if (code === "budget_exhausted") {
    return "Today's analyst budget is spent. It resets at midnight UTC.";
  }
  return message || "Something went wrong.";
}

export default function ChatPanel(props: ChatPanelProps) {
  const [turns, setTurns] = useState<Turn[]>([]);
  const [conversationId, setConversationId] = useState<string | undefined>();
  const [conversations, setConversations] = useState<ConversationSummary[]>([]);
  const [showList, setShowList] = useState(false);
  const [draft, setDraft] = useState("");
  const [busy, setBusy] = useState(false);
  const abortRef = useRef<AbortController | null>(null);
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const lastAsked = useRef("");

  useEffect(() => {
    if (props.open) inputRef.current?.focus();
  }, [props.open]);

  const headers = (json = true): Record<string, string> => ({
    ...(json ? { "Content-Type": "application/json" } : {}),
    "X-CSRF-Token": props.csrfToken,
  });

  const update = (fn: (t: Turn) => Turn) =>
    setTurns((all) => [...all.slice(0, -1), fn(all[all.length - 1])]);

  async function ask(message: string) {
    if (!message.trim() || busy) return;
    lastAsked.current = message;
    setDraft("");
    setBusy(true);
    setTurns((all) => [
      ...all,
      { role: "user", text: message, steps: [], unverified: [], status: "complete" },
      { role: "assistant", text: "", steps: [], unverified: [], status: "streaming" },
    ]);
    const abort = new AbortController();
    abortRef.current = abort;
    try {
      const res = await fetch("/api/claude/chat", {
        method: "POST",
        headers: headers(),
        credentials: "same-origin",
        signal: abort.signal,
        body: JSON.stringify({
          conversationId,
          message,
          context: { stage: props.stage, symbol: props.symbol },
        }),
      });
      if (!res.ok || !res.body) {
        const body = await res.json().catch(() => null);
        const code = body?.error?.code ?? "error";
        const msg = errorText(code, body?.error?.message ?? `Request failed (${res.status}).`);
        update((t) => ({ ...t, status: "error", error: { code, message: msg } }));
        return;
      }
      await readSse(res.body, ({ event, data }) => {
        // deno-lint-ignore no-explicit-any
        const d = data as any;
        if (event === "conversation") setConversationId(d.conversationId);
        else if (event === "text") update((t) => ({ ...t, text: t.text + d.delta }));
        else if (event === "tool_call") {
          update((t) => ({
            ...t,
            steps: [...t.steps, { id: d.id, name: d.name, input: d.input }],
          }));
        } else if (event === "tool_result") {
          update((t) => ({
            ...t,
            steps: t.steps.some((s) => s.id === d.call.id)
              ? t.steps.map((s) => s.id === d.call.id ? { ...s, ...d.call } : s)
              : [...t.steps, d.call],
          }));
        } else if (event === "done") {
          update((t) => ({
            ...t,
            text: d.text,
            unverified: d.unverified ?? [],
            analyst: d.analyst,
            status: "complete",
          }));
        } else if (event === "error") {
          update((t) => ({
            ...t,
            status: "error",
            error: { code: d.code, message: errorText(d.code, d.message, d.retryAfterSeconds) },
          }));
        }
      });
    } catch {
      update((t) =>
        abort.signal.aborted ? { ...t, status: "aborted" } : {
          ...t,
          status: "error",
          error: { code: "network", message: "The connection was lost." },
        }
      );
    } finally {
      abortRef.current = null;
      setBusy(false);
    }
  }

  async function loadList() {
    const res = await fetch("/api/claude/conversations", { credentials: "same-origin" });
    if (res.ok) setConversations((await res.json()).conversations);
    setShowList(true);
  }

  async function open(id: string) {
    const res = await fetch(`/api/claude/conversations/${id}`, { credentials: "same-origin" });
    if (!res.ok) return;
    const body = await res.json();
    setConversationId(id);
    // deno-lint-ignore no-explicit-any
    setTurns(body.messages.map((m: any): Turn => ({
      role: m.role,
      text: m.content,
      steps: m.toolCalls,
      unverified: m.unverified,
      analyst: m.analyst ?? undefined,
      status: m.status,
    })));
    setShowList(false);
  }

  async function rename(c: ConversationSummary) {
    const title = globalThis.prompt("Rename conversation", c.title)?.trim();
    if (!title) return;
    const res = await fetch(`/api/claude/conversations/${c.id}`, {
      method: "PATCH",
      headers: headers(),
      credentials: "same-origin",
      body: JSON.stringify({ title }),
    });
    if (res.ok) setConversations((all) => all.map((x) => x.id === c.id ? { ...x, title } : x));
  }

  async function remove(c: ConversationSummary) {
    const res = await fetch(`/api/claude/conversations/${c.id}`, {
      method: "DELETE",
      headers: headers(false),
      credentials: "same-origin",
    });
    if (res.ok) {
      setConversations((all) => all.filter((x) => x.id !== c.id));
      if (c.id === conversationId) newConversation();
    }
  }

  function newConversation() {
    setConversationId(undefined);
    setTurns([]);
    setShowList(false);
  }

  const last = turns[turns.length - 1];
  return (
    <section
      class="chat-panel"
      data-testid="chat-panel"
      role="dialog"
      aria-label="Analyst chat"
      onKeyDown={(e) => {
        if (e.key === "Escape") props.onClose();
      }}
    >
      <header class="chat-panel__head">
        <h2>Analyst</h2>
        <button type="button" onClick={newConversation}>New</button>
        <button type="button" onClick={() => showList ? setShowList(false) : loadList()}>
          Conversations
        </button>
        <button type="button" aria-label="Close chat" onClick={props.onClose}>×</button>
      </header>
      {showList
        ? (
          <ul class="chat-panel__list" aria-label="Conversations">
            {conversations.length === 0 && <li>No conversations yet.</li>}
            {conversations.map((c) => (
              <li key={c.id}>
                <button type="button" class="chat-panel__open" onClick={() => open(c.id)}>
                  {c.title}
                </button>
                <button type="button" aria-label={`Rename ${c.title}`} onClick={() => rename(c)}>
                  Rename
                </button>
                <button type="button" aria-label={`Delete ${c.title}`} onClick={() => remove(c)}>
                  Delete
                </button>
              </li>
            ))}
          </ul>
        )
        : (
          <ol class="chat-panel__turns" aria-live="polite">
            {turns.map((t, i) => (
              <li
                key={i}
                class={`chat-turn chat-turn--${t.role}`}
                data-testid={`chat-turn-${t.role}`}
                data-status={t.status}
              >
                {t.analyst === "offline" && <span class="chat-badge">Offline analyst</span>}
                {t.steps.map((s) => (
                  <details key={s.id} class="chat-step" data-testid="chat-step">
                    <summary>
                      {s.ok === false ? "✗" : s.ok ? "✓" : "…"} {s.name}
                      {s.source ? ` (${s.source})` : ""}
                    </summary>
                    <pre>{JSON.stringify({ input: s.input, output: s.output ?? s.error }, null, 2)}</pre>
                  </details>
                ))}
                {t.role === "user"
                  ? <p>{t.text}</p>
                  : <Markdown text={t.text} unverified={t.unverified} />}
                {t.status === "aborted" && <p class="chat-note">Stopped.</p>}
                {t.error && <p class="chat-error" role="alert">{t.error.message}</p>}
              </li>
            ))}
          </ol>
        )}
      <form
        class="chat-panel__form"
        onSubmit={(e) => {
          e.preventDefault();
          ask(draft);
        }}
      >
        <textarea
          ref={inputRef}
          aria-label="Ask the analyst"
          data-testid="chat-input"
          value={draft}
          maxLength={4000}
          onInput={(e) => setDraft((e.target as HTMLTextAreaElement).value)}
          onKeyDown={(e) => {
            if (e.key === "Enter" && !e.shiftKey) {
              e.preventDefault();
              ask(draft);
            }
          }}
        />
        {busy
          ? <button type="button" onClick={() => abortRef.current?.abort()}>Stop</button>
          : <button type="submit">Send</button>}
        {!busy && last && (last.status === "error" || last.status === "aborted") && (
          <button
            type="button"
            onClick={() => ask(lastAsked.current)}
          >
            Retry
          </button>
        )}
      </form>
    </section>
  );
}
