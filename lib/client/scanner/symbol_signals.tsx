/**
 * What the symbol page shows below the chart, loaded after the first paint by
 * islands/SymbolSignals.tsx: the regime band for the S&P 500, a stock's chart patterns and levels.
 */
import { PatternsView } from "./PatternsView.tsx";
import { RegimeView } from "./RegimeView.tsx";

export function SymbolSignalsBody({ symbol }: { symbol: string }) {
  if (symbol === "SPX") {
    return (
      <section class="glass scanner" aria-labelledby="regime-title">
        <h2 id="regime-title" class="section-title">Market regime</h2>
        <RegimeView />
      </section>
    );
  }
  return (
    <section class="glass scanner" aria-labelledby="patterns-title">
      <h2 id="patterns-title" class="section-title">Chart patterns, last year</h2>
      <PatternsView symbol={symbol} days={250} />
    </section>
  );
}
