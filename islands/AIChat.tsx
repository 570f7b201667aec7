/**
 * The chat's floating button (and Ctrl/⌘+J): tiny on purpose. The panel's code is fetched with
 * a dynamic import on the first open, so it costs nothing on pages where nobody chats.
 */
import { useEffect, useState } from "preact/hooks";
import type { ComponentType } from "preact";
import type { ChatPanelProps } from "../lib/client/chat/ChatPanel.tsx";

export interface AIChatProps {
  csrfToken: string;
  stage?: string;
  symbol?: string;
}

export default function AIChat(props: AIChatProps) {
  const [open, setOpen] = useState(false);
  const [Panel, setPanel] = useState<ComponentType<ChatPanelProps> | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "j") {
        e.preventDefault();
        setOpen((o) => !o);
      }
    };
    globalThis.addEventListener("keydown", onKey);
    return () => globalThis.removeEventListener("keydown", onKey);
  }, []);

  useEffect(() => {
    if (!open || Panel) return;
    import("../lib/client/chat/ChatPanel.tsx")
      .then((mod) => setPanel(() => mod.default))
      .catch(() => setFailed(true));
  }, [open]);

  // Once loaded, the panel stays mounted while closed, so reopening keeps the conversation.
  return (
    <div class="ai-chat">
      {Panel && (
        <div hidden={!open}>
          <Panel
            open={open}
            csrfToken={props.csrfToken}
            stage={props.stage}
            symbol={props.symbol}
            onClose={() => setOpen(false)}
          />
        </div>
      )}
      {open && !Panel && (
        <p class="ai-chat__loading" role="status">
          {failed ? "The chat could not load; reload the page." : "Loading the chat…"}
        </p>
      )}
      <button
        type="button"
        class="ai-chat__button"
        data-testid="chat-button"
        aria-expanded={open}
        // The name starts with the visible "AI", so a speech user can say what they see.
        aria-label="AI: ask the analyst (Ctrl+J)"
        title="AI: ask the analyst (Ctrl+J)"
        onClick={() => setOpen((o) => !o)}
      >
        AI
      </button>
    </div>
  );
}
