import type { Services } from "./services.ts";
import type { Halt } from "./broker/halt.ts";
import type { Appearance } from "./shared/appearance.ts";

/** A signed-in user as the auth middleware puts it on the request. */
export interface AuthUser {
  id: number;
  username: string;
  email: string;
  role: "admin" | "user";
}

/** How the request authenticated: a session (cookie or bearer JWT), an API token, the operator. */
export interface AuthInfo {
  kind: "session" | "api_token" | "operator";
  /** The session family (stable across refreshes), for `session`. */
  sessionId?: string;
  /** The API token's id, for `api_token`. */
  tokenId?: number;
  /** True when the credential came from cookies: state-changing requests then need CSRF. */
  viaCookie: boolean;
}

/** Request state shared by middleware, handlers, layouts and pages. Declared once, here. */
export interface State {
  /** Id of this request, also sent as `X-Request-Id` and written to the log. */
  requestId: string;
  /** The app's seams (database, KV, market data, broker, ...): the one way in for pages. */
  services: Services;
  /** Client address (proxy-reported only with TRUST_PROXY), `unknown` when not known. */
  clientIp: string;
  /** Served over https: cookies get `Secure`. */
  secure: boolean;
  userAgent: string | null;
  /** Whether orders go to a paper account or a live one. PaiiD only trades paper today. */
  tradingMode: "paper" | "live";
  /** Width of the split view's left pane, in percent, remembered in the `paiid_split` cookie. */
  splitPercent: number;
  /** Theme and density, from the `paiid_look` cookie (the settings write it); unset = dark. */
  appearance?: Appearance;
  /** The signed-in user; unset when anonymous or for the operator token. */
  user?: AuthUser;
  /** How the request authenticated; unset when anonymous. */
  auth?: AuthInfo;
  /** The kill switch in force for the signed-in user (pages show a banner); unset when none. */
  halt?: Halt;
  /** The signed-in user's `telemetry` setting, read for pages only (the browser sends events). */
  telemetry?: boolean;
  /** Token for forms (`_csrf` field) and scripts (`X-CSRF-Token` header) of this browser. */
  csrfToken?: string;
}

/** Hono variables every API handler can read: the request state and the app's services. */
export type AppEnv = {
  Variables: { state: State & Record<string, unknown>; services: Services; requestId: string };
};
