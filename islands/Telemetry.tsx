/**
 * Usage telemetry, rendered only for users who turned it on in Settings (routes/_app.tsx): it
 * shows nothing, and loads the sender (lib/client/telemetry.ts) after the first paint, so the
 * page's first-load JavaScript carries only this loader.
 */
import { useEffect } from "preact/hooks";
import { afterFirstPaint } from "../lib/client/after_paint.ts";

export default function Telemetry({ csrfToken }: { csrfToken: string }) {
  useEffect(() => {
    let stop: (() => void) | undefined;
    let gone = false;
    afterFirstPaint()
      .then(() => import("../lib/client/telemetry.ts"))
      .then((mod) => {
        if (!gone) stop = mod.startTelemetry(csrfToken);
      })
      .catch(() => {
        // Without telemetry the page works the same.
      });
    return () => {
      gone = true;
      stop?.();
    };
  }, []);
  return null;
}
