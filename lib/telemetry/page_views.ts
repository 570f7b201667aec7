/**
 * Page views for telemetry, recorded by the server as it answers the page: the page kind only
 * (lib/shared/telemetry.ts), no user. Done here rather than by the browser so it costs no
 * JavaScript, which matters on the hub, whose first-load budget (12 KB gzipped) has no room
 * left for even the sender's loader.
 */
import type { Services } from "../services.ts";
import { metrics } from "../metrics/mod.ts";
import { pageOf } from "../shared/telemetry.ts";
import { storeEvents } from "./repo.ts";

export async function recordPageView(
  services: Pick<Services, "db" | "log">,
  pathname: string,
): Promise<void> {
  try {
    await storeEvents(services.db, { events: [{ name: "stage_opened", page: pageOf(pathname) }] });
    metrics.telemetryEvents.labels("stored").inc();
  } catch (err) {
    // A page must never fail for a usage count.
    services.log.warn("page view not recorded", { error: (err as Error).message });
  }
}
