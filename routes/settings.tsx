import type { Handlers, PageProps } from "../lib/fresh/types.ts";
import type { State } from "../lib/state.ts";
import { stageById } from "../lib/stages.ts";
import { getSettings, type Settings } from "../lib/settings.ts";
import { getProfile, type Profile } from "../lib/ai/profile.ts";
import { seamModes } from "../lib/config.ts";
import SettingsForm from "../islands/SettingsForm.tsx";
import AccountAccess from "../islands/AccountAccess.tsx";
import DeleteAccount from "../islands/DeleteAccount.tsx";
import ResetAccount from "../islands/ResetAccount.tsx";
import ApprovalSettings from "../islands/ApprovalSettings.tsx";

interface Data {
  settings: Settings;
  profile: Profile | null;
  seams: Record<string, string>;
  replay: { date: string | null; speed: number } | null;
}

export const handler: Handlers<Data, State> = {
  async GET(_req, ctx) {
    const { db, config, market } = ctx.state.services;
    const userId = ctx.state.user!.id;
    const [settings, profile, clock] = await Promise.all([
      getSettings(db, userId),
      getProfile(db, userId),
      market.clock().catch(() => null),
    ]);
    const seams = seamModes(config);
    const replay = seams.market_data === "replay"
      ? { date: clock?.replayDate ?? null, speed: config.REPLAY_SPEED }
      : null;
    return ctx.render({ settings, profile, seams, replay });
  },
};

const SEAM_LABELS: Record<string, [string, Record<string, string>]> = {
  market_data: ["Market data", {
    replay: "Replay of shipped history (not live)",
    tradier: "Tradier (live)",
  }],
  broker: ["Broker", { paper: "Built-in paper broker", "alpaca-paper": "Alpaca paper trading" }],
  analyst: ["Analyst", { offline: "Offline analyst (fixed rules)", claude: "Claude" }],
  database: ["Database", { pglite: "Embedded Postgres (PGlite)", postgres: "PostgreSQL server" }],
};

/** The App Settings stage: the user's own settings, access and data, server-side. */
export default function SettingsPage({ data, state }: PageProps<Data, State>) {
  const stage = stageById("settings");
  const { settings, profile, seams, replay } = data;
  const csrf = state.csrfToken ?? "";
  return (
    <div
      class="ticket-page settings-page"
      style={`--stage-color: ${stage.color}`}
      data-testid="settings-stage"
    >
      <header class="ticket-page-header">
        <h1 class="ticket-page-title">{stage.name}</h1>
        <p class="muted">Your limits, defaults and look; who can act as you; and your data.</p>
      </header>

      <section class="glass settings-section" aria-labelledby="profile-title">
        <h2 id="profile-title">Profile</h2>
        {profile?.completedAt
          ? (
            <p>
              {profile.experience} investor, {profile.horizon} horizon, {profile.riskTolerance}{" "}
              risk{profile.goals ? `: “${profile.goals}”` : ""}.
            </p>
          )
          : <p class="muted">You have not done the setup yet.</p>}
        <p>
          <a href="/onboarding" data-testid="rerun-onboarding">
            {profile?.completedAt ? "Run the setup again" : "Start the setup"}
          </a>{" "}
          <span class="muted">
            (suggests risk limits from your answers; nothing changes until you confirm)
          </span>
        </p>
      </section>

      <section class="glass settings-section" aria-labelledby="prefs-title">
        <h2 id="prefs-title">Limits, defaults, notifications and appearance</h2>
        <SettingsForm
          csrfToken={csrf}
          initial={{
            riskTolerance: settings.riskTolerance,
            maxPositionPercent: settings.maxPositionPercent,
            maxOrderValue: settings.maxOrderValue,
            dailyLossLimit: settings.dailyLossLimit,
            allowShortSelling: settings.allowShortSelling,
            defaultOrderSize: settings.defaultOrderSize,
            defaultOrderType: settings.defaultOrderType,
            defaultTimeInForce: settings.defaultTimeInForce,
            startingCash: settings.startingCash,
            toastKinds: settings.toastKinds,
            theme: settings.theme,
            density: settings.density,
            telemetry: settings.telemetry,
          }}
        />
      </section>

      <section class="glass settings-section" aria-labelledby="approvals-title">
        <h2 id="approvals-title">Trade proposals</h2>
        <ApprovalSettings
          csrfToken={csrf}
          initial={{
            approvalMode: settings.approvalMode,
            autoApproveMaxOrderValue: settings.autoApproveMaxOrderValue,
            autoApproveMaxDailyValue: settings.autoApproveMaxDailyValue,
          }}
        />
      </section>

      <section class="glass settings-section" aria-labelledby="status-title">
        <h2 id="status-title">Market data, broker and analyst</h2>
        <dl class="settings-status">
          {Object.entries(SEAM_LABELS).map(([key, [label, modes]]) => (
            <div key={key}>
              <dt>{label}</dt>
              <dd>{modes[seams[key]] ?? seams[key]}</dd>
            </div>
          ))}
          {replay && (
            <div>
              <dt>Replay</dt>
              <dd>
                <span class="badge badge--replay">REPLAY</span> showing {replay.date ?? "—"}, at
                {" "}
                {replay.speed}× real time
              </dd>
            </div>
          )}
        </dl>
        <p class="muted">
          The operator chooses these with environment variables; see the README's Configuration.
        </p>
      </section>

      <section class="glass settings-section" aria-labelledby="access-title">
        <h2 id="access-title">Access</h2>
        <AccountAccess csrfToken={csrf} />
      </section>

      {seams.broker === "paper" && (
        <section class="glass settings-section" aria-labelledby="paper-title">
          <h2 id="paper-title">Paper account</h2>
          <ResetAccount startingCash={settings.startingCash} csrfToken={csrf} />
        </section>
      )}

      <section class="glass settings-section" aria-labelledby="data-title">
        <h2 id="data-title">Your data</h2>
        <p>
          <a
            class="button button--small"
            href="/api/users/me/export"
            download
            data-testid="export-data"
          >
            Download all my data (JSON)
          </a>{" "}
          <span class="muted">
            Orders, fills, positions, history, alerts, watchlists, conversations, strategies and
            their deployments, recommendations, proposals and their audit log, morning briefs and
            settings; no password or token.
          </span>
        </p>
        <DeleteAccount username={state.user!.username} csrfToken={csrf} />
      </section>

      <p class="notice" role="note">
        <span class="badge badge--todo">Not built yet</span>
        <span>
          A CSV archive of the export.
        </span>
      </p>
    </div>
  );
}
