/**
 * Usage telemetry, rendered only for users who turned it on in Settings (routes/_app.tsx, not
 * on the hub): it shows nothing, and loads the sender (lib/client/telemetry.ts) after the first
 * paint, so the page's first-load JavaScript carries only this loader.
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
  // A hidden marker rather than null: an island that renders no JSX reaches preact/hooks
  // without preact's JSX runtime, and the bundler then splits the two into separate shared
  // chunks, which costs every page (the hub included) an extra file of about 110 B gzipped.
  return <span hidden data-telemetry-sender />;
}
