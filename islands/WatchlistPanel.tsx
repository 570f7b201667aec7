import { useEffect, useState } from "preact/hooks";
import type { ComponentType } from "preact";
import { afterFirstPaint } from "../lib/client/after_paint.ts";

interface WatchlistPanelProps {
  csrfToken: string;
}

/**
 * The watchlist under the wheel. Its code loads after the first paint: the stage in view comes
 * first, the list a moment later.
 */
export default function WatchlistPanel(props: WatchlistPanelProps) {
  const [Body, setBody] = useState<ComponentType<WatchlistPanelProps> | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    afterFirstPaint()
      .then(() => import("../lib/client/watchlist/Panel.tsx"))
      .then((mod) => setBody(() => mod.default))
      .catch(() => setFailed(true));
  }, []);
  if (Body) return <Body {...props} />;
  return (
    <section class="watchlist" aria-label="Watchlist" data-testid="watchlist-panel">
      <p class="muted" role="status">
        {failed ? "The watchlist could not load; reload the page." : "Loading the watchlist…"}
      </p>
    </section>
  );
}
