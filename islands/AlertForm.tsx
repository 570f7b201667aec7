import { useEffect, useState } from "preact/hooks";
import type { ComponentType } from "preact";
import { afterFirstPaint } from "../lib/client/after_paint.ts";

interface AlertFormProps {
  symbol: string;
  csrfToken: string;
}

/**
 * The symbol page's alerts, below the fold: the form's code loads after the first paint, so the
 * quote and the chart come first.
 */
export default function AlertForm(props: AlertFormProps) {
  const [Panel, setPanel] = useState<ComponentType<AlertFormProps> | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    afterFirstPaint()
      .then(() => import("../lib/client/alerts/AlertPanel.tsx"))
      .then((mod) => setPanel(() => mod.default))
      .catch(() => setFailed(true));
  }, []);
  if (Panel) return <Panel {...props} />;
  return (
    <section class="glass alert-form" aria-labelledby="alerts-title" data-testid="alert-form">
      <h2 id="alerts-title">Alerts</h2>
      <p class="muted" role="status">
        {failed ? "The alerts could not load; reload the page." : "Loading alerts…"}
      </p>
    </section>
  );
}
