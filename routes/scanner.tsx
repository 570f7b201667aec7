import type { PageProps } from "../lib/fresh/types.ts";
import type { State } from "../lib/state.ts";
import { stageById } from "../lib/stages.ts";
import Scanner from "../islands/Scanner.tsx";
import RegimePanel from "../islands/RegimePanel.tsx";
import PatternsPanel from "../islands/PatternsPanel.tsx";
import { PRESETS } from "../lib/scanner/presets.ts";
import { replaySectors } from "../lib/scanner/universe.ts";

/**
 * The Market Scanner stage: presets and custom scans over the universe (lib/scanner/). In replay
 * a scan reads the shipped stocks on the last day completed before the replayed one.
 */
export default function ScannerPage({ state }: PageProps<undefined, State>) {
  const stage = stageById("scanner");
  return (
    <div class="ticket-page" style={`--stage-color: ${stage.color}`} data-testid="scanner-stage">
      <header class="ticket-page-header">
        <h1 class="ticket-page-title">{stage.name}</h1>
        <p class="muted">
          Scan the universe with a preset or your own conditions. Each hit says why it matched, with
          the values. Prices in US dollars, volumes in shares.
        </p>
      </header>
      <section class="glass scanner" aria-labelledby="regime-title">
        <h2 id="regime-title" class="section-title">Market regime</h2>
        <RegimePanel />
      </section>
      <Scanner
        presets={PRESETS.map((p) => ({ ...p }))}
        sectors={replaySectors()}
        csrfToken={state.csrfToken ?? ""}
      />
      <section class="glass scanner" aria-labelledby="patterns-title">
        <h2 id="patterns-title" class="section-title">Chart patterns</h2>
        <PatternsPanel />
      </section>
    </div>
  );
}
