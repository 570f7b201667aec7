import { useEffect, useRef, useState } from "preact/hooks";
import { callApi } from "../lib/client/trading_fetch.ts";
import { ConfirmPanel } from "../lib/client/proposals/ConfirmPanel.tsx";
import {
  expiryText,
  orderText,
  type Proposal,
  PROPOSAL_EVENT,
  sourceText,
} from "../lib/client/proposals/view.ts";
import type { ApprovalPreview } from "../lib/proposals/approve.ts";

interface Props {
  /** The pending proposals, rendered on the server. */
  initial: Proposal[];
  csrfToken: string;
}

/**
 * The proposals waiting for approval: each with Approve (a confirmation with the order preview
 * and every check first) and Reject. A refused approval stays in the list with its reason.
 * Buttons are plain buttons (Tab, Enter); Escape closes the confirmation.
 */
export default function ProposalQueue({ initial, csrfToken }: Props) {
  const [items, setItems] = useState(initial);
  const [confirming, setConfirming] = useState<ApprovalPreview | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<
    { error: boolean; text: string; orders?: boolean } | null
  >(null);
  const titleRef = useRef<HTMLHeadingElement | null>(null);

  useEffect(() => titleRef.current?.focus(), [confirming]);
  useEffect(() => {
    const add = (e: Event) => {
      const p = (e as CustomEvent<Proposal>).detail;
      setItems((list) => list.some((x) => x.id === p.id) ? list : [p, ...list]);
    };
    addEventListener(PROPOSAL_EVENT, add);
    return () => removeEventListener(PROPOSAL_EVENT, add);
  }, []);

  const refresh = async (id: string) => {
    const res = await callApi<{ proposal: Proposal }>(`/api/proposals/${id}`);
    if (!res.ok) return;
    const p = res.data.proposal;
    setItems((list) =>
      p.status === "pending"
        ? list.map((x) => x.id === id ? p : x)
        : list.filter((x) => x.id !== id)
    );
  };

  const review = async (p: Proposal) => {
    setBusy(p.id);
    setMessage(null);
    const res = await callApi<ApprovalPreview>(`/api/proposals/${p.id}/preview`);
    setBusy(null);
    if (!res.ok) {
      setMessage({ error: true, text: res.problem.message });
      return await refresh(p.id);
    }
    setConfirming(res.data);
  };

  const approve = async () => {
    if (!confirming) return;
    const id = confirming.proposal.id;
    setBusy(id);
    const res = await callApi<{ order: { id: string; status: string } }>(
      `/api/proposals/${id}/approve`,
      { method: "POST", csrfToken },
    );
    setBusy(null);
    setConfirming(null);
    setMessage(
      res.ok
        ? { error: false, text: `Approved: order ${res.data.order.status}.`, orders: true }
        : { error: true, text: res.problem.message },
    );
    await refresh(id);
  };

  const reject = async (p: Proposal) => {
    setBusy(p.id);
    const res = await callApi(`/api/proposals/${p.id}/reject`, {
      method: "POST",
      csrfToken,
      body: {},
    });
    setBusy(null);
    setMessage(
      res.ok ? { error: false, text: "Rejected." } : { error: true, text: res.problem.message },
    );
    await refresh(p.id);
  };

  return (
    <div class="proposal-queue" data-testid="proposal-queue">
      {message && (
        <p
          class={message.error ? "ticket-refusal" : "proposal-message"}
          role={message.error ? "alert" : "status"}
          data-testid="proposal-message"
        >
          {message.text}
          {message.orders && (
            <>
              {" "}
              <a href="/execute">See it in Execute Trade's orders</a>
            </>
          )}
        </p>
      )}
      {items.length === 0
        ? <p class="muted" data-testid="proposals-empty">No proposals are waiting for you.</p>
        : (
          <ul class="proposal-list">
            {items.map((p) => (
              <li key={p.id} class="proposal-item" data-testid="proposal-item">
                <strong>{orderText(p.order)}</strong>
                <span class="muted">
                  {` · ${sourceText(p.source)} · ${expiryText(p)}`}
                </span>
                {p.note && <p class="proposal-note">{p.note}</p>}
                {p.lastRefusal && (
                  <p class="ticket-refusal" data-testid="proposal-refusal">
                    {p.lastRefusal.message}
                  </p>
                )}
                <div class="ticket-actions">
                  <button
                    type="button"
                    class="button button--small"
                    disabled={busy !== null}
                    onClick={() => review(p)}
                  >
                    Approve…
                  </button>
                  <button
                    type="button"
                    class="ticket-secondary"
                    disabled={busy !== null}
                    onClick={() => reject(p)}
                  >
                    Reject
                  </button>
                </div>
                {confirming?.proposal.id === p.id && (
                  <ConfirmPanel
                    data={confirming}
                    busy={busy === p.id}
                    titleRef={titleRef}
                    onConfirm={approve}
                    onClose={() => setConfirming(null)}
                  />
                )}
              </li>
            ))}
          </ul>
        )}
    </div>
  );
}
