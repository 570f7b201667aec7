/** What a notification can be about; shared by the server, the settings and the bell. */
export const NOTIFICATION_KINDS = [
  "alert",
  "order",
  "proposal",
  "brief",
  "backtest",
  "halt",
] as const;
export type NotificationKind = typeof NOTIFICATION_KINDS[number];

export const NOTIFICATION_KIND_LABELS: Record<NotificationKind, string> = {
  alert: "Price alerts",
  order: "Orders filled or cancelled",
  proposal: "Trade proposals",
  brief: "Morning brief",
  backtest: "Backtests",
  halt: "Trading halts",
};

/** Kinds that pop up a toast unless the user says otherwise. */
export const DEFAULT_TOAST_KINDS: NotificationKind[] = ["alert", "order", "proposal", "halt"];
