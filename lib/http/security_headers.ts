/**
 * The security headers every response carries: two lists, serialised and validated once per
 * process, set by the app's front middleware (lib/app.ts) with the other late headers in one
 * middleware layer instead of a layer of its own. Pages and files get the document list: the
 * same names, values and order as Hono's `secureHeaders` with the app's options
 * (lib/http/security_headers_test.ts compares the two). Anything served as JSON (API answers,
 * and a static `.json` file if there ever is one) gets the short API list
 * (`apiSecurityHeaderList`); an answer with no or another Content-Type gets the document list.
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

/**
 * The headers of a JSON answer. Such an answer is data, never a page: it loads no script,
 * style, font or frame and follows no link, so the document policies (Permissions-Policy,
 * the opener and agent-cluster isolation, referrer, DNS-prefetch and the legacy IE and Flash
 * switches) have nothing to act on. What can still go wrong with it is covered:
 * - read by another site as a no-cors resource (a `<script src>` of the URL): CORP;
 * - sniffed as HTML: `nosniff`;
 * - opened as a document and framed, or made to run something: a CSP that allows nothing.
 * This is the set OWASP's REST Security cheat sheet lists for APIs. It is also about 700 bytes
 * and half the header checks less per answer than the document set, on answers as small as a
 * 300-byte quote that a dashboard polls.
 */
export function apiSecurityHeaderList(xFrameOptions: string): readonly [string, string][] {
  const list: [string, string][] = [
    ["Cross-Origin-Resource-Policy", "same-origin"],
    ["X-Content-Type-Options", "nosniff"],
    ["X-Frame-Options", xFrameOptions],
    ["Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"],
  ];
  new Headers(list);
  return Object.freeze(list);
}

/** True when `headers` describe a JSON answer (`application/json`, `application/*+json`). */
export function isJsonAnswer(headers: Headers): boolean {
  const type = headers.get("Content-Type");
  return type !== null && /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(type);
}

/** Sets `list` on `headers` (replacing what the handler set) and drops `X-Powered-By`. */
export function setSecurityHeaders(headers: Headers, list: readonly [string, string][]): void {
  for (let i = 0; i < list.length; i++) headers.set(list[i][0], list[i][1]);
  headers.delete("X-Powered-By");
}
