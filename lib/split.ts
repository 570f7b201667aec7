/**
 * The split view's left-pane width: one set of bounds and one cookie format, shared by the
 * middleware that reads it (so the first paint is right) and the divider island that writes it.
 */

export const SPLIT_COOKIE = "paiid_split";
export const SPLIT_MIN = 20;
export const SPLIT_MAX = 60;
export const SPLIT_DEFAULT = 38;

/** Clamps a width in percent to `[min, max]`; anything non-finite falls back to the default. */
export function clampSplit(value: number, min = SPLIT_MIN, max = SPLIT_MAX): number {
  if (!Number.isFinite(value)) return SPLIT_DEFAULT;
  return Math.min(max, Math.max(min, value));
}

/** The remembered width from a `Cookie` request header, clamped, or the default. */
export function splitFromCookieHeader(header: string | null): number {
  for (const pair of header?.split(";") ?? []) {
    const [name, value = ""] = pair.trim().split("=", 2);
    if (name === SPLIT_COOKIE) {
      // A cookie is user input: reject "38abc" or "" rather than half-parse it.
      return /^\d{1,3}$/.test(value) ? clampSplit(Number(value)) : SPLIT_DEFAULT;
    }
  }
  return SPLIT_DEFAULT;
}

/** The `document.cookie` assignment that remembers a width for a year, site-wide. */
export function splitCookie(percent: number): string {
  return `${SPLIT_COOKIE}=${
    Math.round(clampSplit(percent))
  }; Path=/; Max-Age=31536000; SameSite=Lax`;
}
