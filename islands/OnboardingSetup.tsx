/**
 * The first-sign-in setup: a plain form or the analyst's interview (one question at a time),
 * both ending in suggested risk limits the user confirms or edits before they go into settings.
 */
import { useState } from "preact/hooks";
import { callApi } from "../lib/client/trading_fetch.ts";
import { DEFAULT_ANSWERS, type FormAnswers, type Limits } from "../lib/client/onboarding.ts";
import { FormStep, InterviewStepView, LimitsStep } from "../lib/client/onboarding_steps.tsx";

interface Props {
  csrfToken: string;
  initial: FormAnswers | null;
  analyst: "claude" | "offline";
}

type Tab = "form" | "interview";

export default function OnboardingSetup(props: Props) {
  const [tab, setTab] = useState<Tab>("form");
  const [limits, setLimits] = useState<Limits | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  async function send<T>(url: string, method: "PUT" | "POST", body: unknown) {
    setBusy(true);
    setError(null);
    try {
      const r = await callApi<T>(url, { method, body, csrfToken: props.csrfToken });
      if (!r.ok) {
        // The server's message names what is wrong (each unknown symbol, each bad field).
        setError(r.problem.message);
        return null;
      }
      return r.data;
    } finally {
      setBusy(false);
    }
  }

  async function skip() {
    if (await send("/api/ai/profile/skip", "POST", {})) location.assign("/");
  }

  async function confirm(edited: Limits) {
    // Only the three editable limits: the suggestion also carries the derived risk score.
    const { maxOrderValue, maxPositionPercent, dailyLossLimit } = edited;
    const limits = { maxOrderValue, maxPositionPercent, dailyLossLimit };
    if (await send("/api/ai/profile/confirm", "POST", { limits })) setSaved(true);
  }

  if (saved) {
    return (
      <section class="onboarding glass" aria-live="polite" data-testid="onboarding-done">
        <h2>Your limits are saved</h2>
        <p>They are in your settings now, and your watchlist is ready.</p>
        <p>
          <a class="button" href="/">Go to PaiiD</a> <a href="/settings">Settings</a>
        </p>
      </section>
    );
  }

  return (
    <section class="onboarding glass" aria-labelledby="onboarding-title">
      <div class="onboarding-head">
        <h2 id="onboarding-title">Set up PaiiD</h2>
        <button type="button" class="link-button" onClick={skip} disabled={busy}>
          Skip for now
        </button>
      </div>
      {error && <p class="onboarding-error" role="alert">{error}</p>}
      {limits
        ? (
          <LimitsStep
            suggested={limits}
            busy={busy}
            onBack={() => setLimits(null)}
            onConfirm={confirm}
          />
        )
        : (
          <>
            <div role="tablist" aria-label="How to set up" class="onboarding-tabs">
              {(["form", "interview"] as const).map((t) => (
                <button
                  type="button"
                  role="tab"
                  id={`tab-${t}`}
                  aria-selected={tab === t}
                  aria-controls={`panel-${t}`}
                  tabIndex={tab === t ? 0 : -1}
                  onClick={() => setTab(t)}
                  onKeyDown={(e) => {
                    if (e.key === "ArrowRight" || e.key === "ArrowLeft") {
                      const next = t === "form" ? "interview" : "form";
                      setTab(next);
                      document.getElementById(`tab-${next}`)?.focus();
                    }
                  }}
                >
                  {t === "form" ? "Form" : "Interview"}
                </button>
              ))}
            </div>
            <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
              {tab === "form"
                ? (
                  <FormStep
                    initial={props.initial ?? DEFAULT_ANSWERS}
                    busy={busy}
                    onSubmit={async (answers) => {
                      const r = await send<{ suggested: Limits }>(
                        "/api/ai/profile",
                        "PUT",
                        answers,
                      );
                      if (r) setLimits(r.suggested);
                    }}
                  />
                )
                : (
                  <InterviewStepView
                    analyst={props.analyst}
                    send={send}
                    onDone={(d) => setLimits(d.suggested)}
                  />
                )}
            </div>
          </>
        )}
    </section>
  );
}
