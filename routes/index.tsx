import type { PageProps, RouteConfig } from "../lib/fresh/types.ts";
import type { State } from "../lib/state.ts";
import Logo from "../components/Logo.tsx";
import TradingModeBadge from "../components/TradingModeBadge.tsx";
import UserMenu from "../components/UserMenu.tsx";
import RadialMenu from "../islands/RadialMenu.tsx";

// The hub is the whole screen; the split view starts once a stage is open.
export const config: RouteConfig = { skipInheritedLayouts: true };

export default function Home({ state }: PageProps<undefined, State>) {
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
    </div>
  );
}
