import type { LayoutProps } from "../lib/fresh/types.ts";
import type { State } from "../lib/state.ts";
import { stageForPath } from "../lib/stages.ts";
import Logo from "../components/Logo.tsx";
import TradingModeBadge from "../components/TradingModeBadge.tsx";
import UserMenu from "../components/UserMenu.tsx";
import RadialMenu from "../islands/RadialMenu.tsx";
import SplitDivider from "../islands/SplitDivider.tsx";
import SymbolSearch from "../islands/SymbolSearch.tsx";
import AIChat from "../islands/AIChat.tsx";
import NotificationBell from "../islands/NotificationBell.tsx";
import WatchlistPanel from "../islands/WatchlistPanel.tsx";

/** The symbol a page is about, for the chat's context: `/symbol/AAPL` → AAPL. */
function symbolOf(pathname: string): string | undefined {
  const m = /^\/symbol\/([A-Za-z0-9.\-]{1,10})\/?$/.exec(pathname);
  return m ? m[1].toUpperCase() : undefined;
}

/** The split view every stage opens in: the wheel on the left, the stage on the right. */
export default function Layout({ Component, url, state }: LayoutProps<State>) {
  return (
    <div class="split" style={`--split-left: ${state.splitPercent}%`}>
      <div class="split-pane split-nav">
        <header class="topbar topbar--pane">
          <a class="logo-link" href="/" aria-label="PaiiD home">
            <Logo />
          </a>
          <SymbolSearch />
          <TradingModeBadge mode={state.tradingMode} />
          {state.user && <NotificationBell csrfToken={state.csrfToken ?? ""} />}
        </header>
        <RadialMenu size="compact" activeId={stageForPath(url.pathname)?.id ?? null} />
        {state.user && <WatchlistPanel csrfToken={state.csrfToken ?? ""} />}
        <footer class="split-nav__footer">
          <UserMenu state={state} />
        </footer>
      </div>
      <SplitDivider initialPercent={state.splitPercent} />
      <main id="main" class="split-pane split-main">
        <Component />
      </main>
      {state.user && (
        <AIChat
          csrfToken={state.csrfToken ?? ""}
          stage={stageForPath(url.pathname)?.id}
          symbol={symbolOf(url.pathname)}
        />
      )}
    </div>
  );
}
