import type { Handlers, PageProps } from "../lib/fresh/types.ts";
import type { State } from "../lib/state.ts";
import { getProfile, type Profile } from "../lib/ai/profile.ts";
import OnboardingSetup from "../islands/OnboardingSetup.tsx";

interface Data {
  profile: Profile | null;
}

export const handler: Handlers<Data, State> = {
  async GET(_req, ctx) {
    const user = ctx.state.user;
    if (!user) {
      return new Response(null, { status: 303, headers: { location: "/login?next=/onboarding" } });
    }
    return ctx.render({ profile: await getProfile(ctx.state.services.db, user.id) });
  },
};

/** The setup, opened on first sign-in from the hub and re-run from settings. */
export default function OnboardingPage({ data, state }: PageProps<Data, State>) {
  const p = data.profile;
  return (
    <div class="onboarding-page">
      <header>
        <h1>Welcome to PaiiD</h1>
        <p class="muted">
          A few answers about how you trade give you suggested risk limits and a watchlist.
        </p>
      </header>
      <OnboardingSetup
        csrfToken={state.csrfToken ?? ""}
        analyst={state.services.analyst.kind}
        initial={p?.via
          ? {
            goals: p.goals,
            experience: p.experience,
            horizon: p.horizon,
            riskTolerance: p.riskTolerance,
            startingCash: p.startingCash,
            symbols: p.symbols,
          }
          : null}
      />
    </div>
  );
}
