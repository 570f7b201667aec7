import type { AppProps } from "../lib/fresh/types.ts";
import type { State } from "../lib/state.ts";
import HaltBanner from "../components/HaltBanner.tsx";
import { DEFAULT_APPEARANCE } from "../lib/shared/appearance.ts";
import { stageForPath } from "../lib/stages.ts";
import CommandPalette from "../islands/CommandPalette.tsx";
import Telemetry from "../islands/Telemetry.tsx";

export default function App({ Component, state, url }: AppProps<State>) {
  const { theme, density } = state.appearance ?? DEFAULT_APPEARANCE;
  return (
    <html lang="en" data-theme={theme} data-density={density}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta
          name="color-scheme"
          content={theme === "system" ? "dark light" : theme}
        />
        <meta name="theme-color" content="#0f172a" />
        <meta name="description" content="PaiiD: Personal AI Investment Dashboard" />
        <title>PaiiD</title>
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
        <link rel="stylesheet" href="/styles.css" />
      </head>
      <body>
        <a class="skip-link" href="#main">Skip to content</a>
        {state.halt && <HaltBanner halt={state.halt} state={state} next={url.pathname} />}
        <Component />
        {state.user && (
          // Ctrl/⌘+K and ?: a key listener; the palette and help load on first use.
          <CommandPalette
            csrfToken={state.csrfToken ?? ""}
            stage={stageForPath(url.pathname)?.id}
          />
        )}
        {state.user && state.telemetry && <Telemetry csrfToken={state.csrfToken ?? ""} />}
      </body>
    </html>
  );
}
