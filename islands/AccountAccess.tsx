import { useEffect, useState } from "preact/hooks";
import { callApi } from "../lib/client/trading_fetch.ts";
import { describeAgent, shortDate } from "../lib/client/settings/describe.ts";

interface Token {
  id: number;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
}

interface Session {
  id: string;
  createdAt: string;
  lastRefreshedAt: string;
  userAgent: string | null;
  ip: string | null;
  current: boolean;
}

/**
 * Who can act as you: API tokens (create one, shown once; revoke) and signed-in sessions
 * (revoke one, or sign out everywhere else).
 */
export default function AccountAccess({ csrfToken }: { csrfToken: string }) {
  const [tokens, setTokens] = useState<Token[] | null>(null);
  const [sessions, setSessions] = useState<Session[] | null>(null);
  const [name, setName] = useState("");
  const [days, setDays] = useState("90");
  const [fresh, setFresh] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const load = async () => {
    const [t, s] = await Promise.all([
      callApi<{ tokens: Token[] }>("/api/auth/tokens"),
      callApi<{ sessions: Session[] }>("/api/auth/sessions"),
    ]);
    if (t.ok) setTokens(t.data.tokens);
    if (s.ok) setSessions(s.data.sessions);
    if (!t.ok || !s.ok) {
      setProblem((t.ok ? null : t.problem.message) ?? (s.ok ? null : s.problem.message));
    }
  };
  useEffect(() => void load(), []);

  const act = async (p: Promise<{ ok: boolean; problem?: { message: string } }>) => {
    const res = await p;
    setProblem(res.ok ? null : res.problem?.message ?? "That did not work.");
    await load();
    return res.ok;
  };

  const create = async (e: Event) => {
    e.preventDefault();
    const res = await callApi<{ token: string }>("/api/auth/tokens", {
      method: "POST",
      body: days === "never" ? { name } : { name, expiresInDays: Number(days) },
      csrfToken,
    });
    if (!res.ok) return setProblem(res.problem.message);
    setFresh(res.data.token);
    setName("");
    await load();
  };

  return (
    <div class="account-access">
      <section aria-labelledby="tokens-title" data-testid="api-tokens">
        <h3 id="tokens-title">API tokens</h3>
        <p class="muted">
          For scripts: send one as{" "}
          <code>Authorization: Bearer …</code>. It acts as you, except that it cannot make tokens,
          change the password or delete the account.
        </p>
        {fresh && (
          <p class="notice" role="status">
            <span>New token, shown this once:</span>
            <code data-testid="new-token">{fresh}</code>{" "}
            <button type="button" class="link-button" onClick={() => setFresh(null)}>
              I have stored it
            </button>
          </p>
        )}
        {tokens?.length === 0 && <p class="muted">No tokens.</p>}
        {tokens && tokens.length > 0 && (
          <table class="settings-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Starts with</th>
                <th scope="col">Last used</th>
                <th scope="col">Expires</th>
                <th scope="col">
                  <span class="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {tokens.map((t) => (
                <tr key={t.id}>
                  <td>{t.name}</td>
                  <td>
                    <code>{t.prefix}…</code>
                  </td>
                  <td>{shortDate(t.lastUsedAt)}</td>
                  <td>{t.expiresAt ? shortDate(t.expiresAt) : "Never"}</td>
                  <td>
                    <button
                      type="button"
                      class="link-button"
                      aria-label={`Revoke token ${t.name}`}
                      onClick={() =>
                        void act(
                          callApi(`/api/auth/tokens/${t.id}`, { method: "DELETE", csrfToken }),
                        )}
                    >
                      Revoke
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <form class="settings-inline" onSubmit={create}>
          <label>
            <span class="sr-only">Token name</span>
            <input
              value={name}
              maxLength={100}
              placeholder="Name, e.g. backtest script"
              onInput={(e) => setName(e.currentTarget.value)}
            />
          </label>
          <label>
            <span class="sr-only">Expires</span>
            <select value={days} onChange={(e) => setDays(e.currentTarget.value)}>
              <option value="30">30 days</option>
              <option value="90">90 days</option>
              <option value="365">1 year</option>
              <option value="never">Never</option>
            </select>
          </label>
          <button type="submit" class="button button--small" disabled={!name.trim()}>
            Create token
          </button>
        </form>
      </section>
      <section aria-labelledby="sessions-title" data-testid="sessions">
        <h3 id="sessions-title">Signed-in sessions</h3>
        {sessions && (
          <ul class="settings-list">
            {sessions.map((s) => (
              <li key={s.id}>
                <span>
                  {describeAgent(s.userAgent)}
                  {s.ip ? ` · ${s.ip}` : ""} · since {shortDate(s.createdAt)}
                </span>
                {s.current ? <span class="badge">This browser</span> : (
                  <button
                    type="button"
                    class="link-button"
                    onClick={() =>
                      void act(
                        callApi(`/api/auth/sessions/${s.id}`, { method: "DELETE", csrfToken }),
                      )}
                  >
                    Sign out
                  </button>
                )}
              </li>
            ))}
          </ul>
        )}
        <button
          type="button"
          class="button button--small"
          disabled={!sessions || sessions.filter((s) => !s.current).length === 0}
          onClick={() =>
            void act(
              callApi("/api/auth/sessions/revoke-all", {
                method: "POST",
                body: { keepCurrent: true },
                csrfToken,
              }),
            )}
        >
          Sign out everywhere else
        </button>
      </section>
      {problem && <p class="form-error" role="alert">{problem}</p>}
    </div>
  );
}
