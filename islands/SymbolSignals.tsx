import { useEffect, useState } from "preact/hooks";
import type { FunctionComponent } from "preact";

type Body = FunctionComponent<{ symbol: string }>;

/** Resolves once the page has had its first contentful paint (or has loaded, without paint timing). */
function afterFirstPaint(): Promise<void> {
  const painted = () => performance.getEntriesByName("first-contentful-paint").length > 0;
  return new Promise((resolve) => {
    if (painted()) return resolve();
    try {
      const observer = new PerformanceObserver(() => {
        if (painted()) (observer.disconnect(), resolve());
      });
      observer.observe({ type: "paint", buffered: true });
    } catch {
      addEventListener("load", () => resolve(), { once: true });
    }
  });
}

/**
 * The symbol page's ML signals (regime for the S&P 500, patterns for a stock). Their code loads
 * after the first paint, so the page's early JavaScript stays within its budget.
 */
export default function SymbolSignals({ symbol }: { symbol: string }) {
  const [Body, setBody] = useState<{ c: Body } | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    afterFirstPaint().then(() => import("../lib/client/scanner/symbol_signals.tsx")).then(
      (m) => live && setBody({ c: m.SymbolSignalsBody }),
      () => live && setFailed(true),
    );
    return () => void (live = false);
  }, []);
  if (failed) return <p class="ticket-refusal" role="alert">The signals could not be loaded.</p>;
  if (!Body) return <p class="muted">Loading signals…</p>;
  return <Body.c symbol={symbol} />;
}
