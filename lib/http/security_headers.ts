/**
 * The security headers every response carries: the list serialised and validated once per
 * process, set by the app's front middleware (lib/app.ts) with the other late headers in one
 * middleware layer instead of a layer of its own. Same names, values and order as Hono's
 * `secureHeaders` with the app's options (lib/http/security_headers_test.ts compares the two).
 *
 * No policy needs a per-request nonce: scripts load from our own origin only. Each
 * `Headers.set` still checks its value (Deno does, on every call); nothing public skips that.
 */

/** A Content-Security-Policy as directive (camelCase) → sources. */
export type CspDirectives = Readonly<Record<string, readonly string[]>>;
/** A Permissions-Policy as feature (camelCase) → allowlist (`[]` denies, `["self"]`, ...). */
export type PermissionsDirectives = Readonly<Record<string, readonly string[]>>;

export interface SecurityHeaderOptions {
  contentSecurityPolicy: CspDirectives;
  permissionsPolicy: PermissionsDirectives;
  /** `DENY` or `SAMEORIGIN`. */
  xFrameOptions: string;
  referrerPolicy: string;
}

const kebab = (name: string) => name.replace(/([a-z\d])([A-Z])/g, "$1-$2").toLowerCase();

/** `{ defaultSrc: ["'self'"], imgSrc: ["'self'", "data:"] }` → `default-src 'self'; img-src 'self' data:`. */
export function cspValue(directives: CspDirectives): string {
  return Object.entries(directives)
    .map(([name, sources]) => [kebab(name), ...sources].join(" "))
    .join("; ");
}

/** `{ camera: [], fullscreen: ["self"] }` → `camera=(), fullscreen=(self)`; origins are quoted. */
export function permissionsPolicyValue(policy: PermissionsDirectives): string {
  return Object.entries(policy).map(([feature, allow]) => {
    const name = kebab(feature);
    if (allow.length === 1 && allow[0] === "*") return `${name}=*`;
    if (allow.length === 1 && allow[0] === "none") return `${name}=()`;
    const items = allow.map((item) => item === "self" || item === "src" ? item : `"${item}"`);
    return `${name}=(${items.join(" ")})`;
  }).join(", ");
}

/**
 * The headers, in the order they are set. Throws when a value is not a valid header value, so a
 * bad policy fails at start-up rather than on the first request.
 */
export function securityHeaderList(opts: SecurityHeaderOptions): readonly [string, string][] {
  const list: [string, string][] = [
    ["Cross-Origin-Resource-Policy", "same-origin"],
    ["Cross-Origin-Opener-Policy", "same-origin"],
    ["Origin-Agent-Cluster", "?1"],
    ["Referrer-Policy", opts.referrerPolicy],
    ["X-Content-Type-Options", "nosniff"],
    ["X-DNS-Prefetch-Control", "off"],
    ["X-Download-Options", "noopen"],
    ["X-Frame-Options", opts.xFrameOptions],
    ["X-Permitted-Cross-Domain-Policies", "none"],
    ["X-XSS-Protection", "0"],
    ["Content-Security-Policy", cspValue(opts.contentSecurityPolicy)],
    ["Permissions-Policy", permissionsPolicyValue(opts.permissionsPolicy)],
  ];
  new Headers(list);
  return Object.freeze(list);
}

/** Sets `list` on `headers` (replacing what the handler set) and drops `X-Powered-By`. */
export function setSecurityHeaders(headers: Headers, list: readonly [string, string][]): void {
  for (let i = 0; i < list.length; i++) headers.set(list[i][0], list[i][1]);
  headers.delete("X-Powered-By");
}
