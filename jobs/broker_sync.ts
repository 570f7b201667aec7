/**
 * Every minute: the broker's periodic work. For the paper broker, fill working orders whose
 * price has come (the matcher does this on streamed quotes; this catches what a stream missed,
 * e.g. after a restart) and expire day orders whose session closed. For Alpaca, reconcile open
 * orders' status and book new fills into `trades`.
 *
 * Every 15 minutes: an equity point per paper account, for the portfolio history.
 */
import type { Broker, SyncReport } from "../lib/broker/types.ts";

export const BROKER_SYNC_SCHEDULE = "* * * * *";
export const EQUITY_SNAPSHOT_SCHEDULE = "*/15 * * * *";

export function brokerSync(broker: Broker): Promise<SyncReport> {
  return broker.sync();
}

/** Writes the equity snapshots; Alpaca keeps its own history, so it has nothing to do. */
export function equitySnapshots(broker: Broker): Promise<number> {
  return broker.snapshotAll();
}
