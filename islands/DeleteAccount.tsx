import { useState } from "preact/hooks";
import { callApi } from "../lib/client/trading_fetch.ts";

/** Deleting the account: only after typing the username, and it says what goes. */
export default function DeleteAccount(
  { username, csrfToken }: { username: string; csrfToken: string },
) {
  const [typed, setTyped] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    const res = await callApi("/api/users/me", {
      method: "DELETE",
      body: { confirm: typed },
      csrfToken,
    });
    setBusy(false);
    if (!res.ok) return setProblem(res.problem.message);
    globalThis.location.assign("/login");
  };

  return (
    <form class="danger-zone" onSubmit={submit} data-testid="delete-account">
      <p>
        Deleting the account removes its orders, positions, history, alerts, watchlists,
        conversations and settings for good, and signs out every session. Download your data first
        if you want to keep it.
      </p>
      <label class="settings-field">
        <span>
          Type your username, <strong>{username}</strong>, to confirm
        </span>
        <input
          value={typed}
          autocomplete="off"
          onInput={(e) => setTyped(e.currentTarget.value)}
        />
      </label>
      <button type="submit" class="button button--danger" disabled={busy || typed !== username}>
        Delete my account
      </button>
      {problem && <p class="form-error" role="alert">{problem}</p>}
    </form>
  );
}
