import type { Handlers, PageProps, RouteConfig } from "../lib/fresh/types.ts";
import type { State } from "../lib/state.ts";
import Logo from "../components/Logo.tsx";
import TradingModeBadge from "../components/TradingModeBadge.tsx";
import UserMenu from "../components/UserMenu.tsx";
import RadialMenu from "../islands/RadialMenu.tsx";
import AIChat from "../islands/AIChat.tsx";
import { invitesToSetup } from "../lib/ai/profile.ts";

interface Data {
  setup: boolean;
}

export const handler: Handlers<Data, State> = {
  async GET(_req, ctx) {
    const user = ctx.state.user;
    const setup = user ? await invitesToSetup(ctx.state.services.db, user.id) : false;
    return ctx.render({ setup });
  },
};

// The hub is the whole screen; the split view starts once a stage is open.
export const config: RouteConfig = { skipInheritedLayouts: true };

export default function Home({ data, state }: PageProps<Data, State>) {
  return (
    <div class="home">
      <header class="topbar">
        <Logo tagline />
        <div class="topbar__end">
          <TradingModeBadge mode={state.tradingMode} />
          <UserMenu state={state} />
        </div>
      </header>
      <main id="main" class="home-main">
        <h1 class="sr-only">PaiiD: choose a workflow stage</h1>
        <RadialMenu size="full" />
        <p class="hint">
          <span class="hint-keys">
            <kbd>Tab</kbd> to the wheel, <kbd>← →</kbd> to move between stages, <kbd>Enter</kbd>
            {" "}
            to open one.
          </span>
          <span class="hint-touch">Tap a stage to open it.</span>
        </p>
      </main>
      {data.setup && (
        // After the wheel, and not modal: the hub stays usable, and the setup is one step away.
        <aside
          class="onboarding-invite glass"
          aria-labelledby="invite-title"
          data-testid="onboarding-invite"
        >
          <h2 id="invite-title">Welcome! Set up PaiiD</h2>
          <p>Answer a few questions (a form or a short interview) for suggested risk limits.</p>
          <a class="button" href="/onboarding">Start the setup</a>
        </aside>
      )}
      {state.user && <AIChat csrfToken={state.csrfToken ?? ""} />}
    </div>
  );
}
