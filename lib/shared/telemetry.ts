/**
 * What browser telemetry may say, shared by the sender (lib/client/telemetry.ts) and the API
 * that stores it (routes/api/telemetry.ts): three events, a page from a fixed list, a command
 * kind from a fixed list, and for client errors a short message with digits, e-mail addresses
 * and URLs taken out. Nothing names the user, the session, a symbol or an account.
 */
import { stageForPath, STAGES } from "./stages.ts";

export const TELEMETRY_EVENTS = ["stage_opened", "command_used", "client_error"] as const;
export type TelemetryEventName = typeof TELEMETRY_EVENTS[number];

/** Pages by kind: the ten stages, the hub, any symbol page, and a few others. */
export const TELEMETRY_PAGES = [
  ...STAGES.map((s) => s.id),
  "hub",
  "symbol",
  "onboarding",
  "admin",
  "other",
] as const;
export type TelemetryPage = typeof TELEMETRY_PAGES[number];

/** Palette commands by kind: which stage or symbol was opened is not reported. */
export const COMMAND_KINDS = [
  "stage",
  "new_order",
  "brief",
  "halt",
  "theme",
  "scan",
  "backtest",
  "symbol",
  "other",
] as const;
export type CommandKind = typeof COMMAND_KINDS[number];

/** Longest client error message kept (after scrubbing). */
export const MAX_MESSAGE_CHARS = 200;
/** Most events in one batch. */
export const MAX_BATCH = 50;

export type TelemetryEvent =
  | { name: "stage_opened"; page: TelemetryPage }
  | { name: "command_used"; command: CommandKind; page?: TelemetryPage }
  | { name: "client_error"; message: string; page?: TelemetryPage };

/** The page kind of a path: `/risk` → `risk`, `/symbol/AAPL` → `symbol`, `/` → `hub`. */
export function pageOf(pathname: string): TelemetryPage {
  if (pathname === "/") return "hub";
  const stage = stageForPath(pathname);
  if (stage) return stage.id as TelemetryPage;
  if (pathname === "/symbol" || pathname.startsWith("/symbol/")) return "symbol";
  if (pathname === "/onboarding") return "onboarding";
  if (pathname === "/admin") return "admin";
  return "other";
}

/** A palette command id (`stage:risk`, `symbol:AAPL`, `action:halt`) as its kind. */
export function commandKind(id: string): CommandKind {
  const [group, rest] = id.split(":", 2);
  if (group === "action") {
    return rest === "new-order"
      ? "new_order"
      : rest === "brief" || rest === "halt"
      ? rest
      : "other";
  }
  return (COMMAND_KINDS as readonly string[]).includes(group) ? group as CommandKind : "other";
}

const URL_LIKE = /\b[a-z][a-z0-9+.-]*:\/\/\S+/gi;
const EMAIL_LIKE = /[^\s@]+@[^\s@]+/g;
// Any script's digits (\d is ASCII only), and control characters (Postgres text refuses NUL).
const DIGITS = /\p{Nd}+/gu;
const CONTROL = /\p{Cc}+/gu;

/**
 * An error message fit to send: URLs, e-mail addresses and digits (amounts, ids, line numbers)
 * replaced, whitespace collapsed, at most `MAX_MESSAGE_CHARS`.
 */
export function scrubMessage(message: string): string {
  return message.replace(URL_LIKE, "<url>").replace(EMAIL_LIKE, "<email>").replace(DIGITS, "#")
    .replace(CONTROL, " ").replace(/\s+/g, " ").trim().slice(0, MAX_MESSAGE_CHARS);
}

/** Why a message may not be stored as it is, or null: what `scrubMessage` would have removed. */
export function personalLooking(message: string): string | null {
  if (/\p{Nd}/u.test(message)) return "digits";
  if (/[^\s@]+@[^\s@]+/.test(message)) return "an e-mail address";
  if (/[a-z][a-z0-9+.-]*:\/\//i.test(message)) return "a URL";
  return null;
}
