/**
 * Theme and density: kept in the user's settings, and mirrored in a cookie so the server paints
 * the first frame right without reading the settings on every page.
 */
export const THEMES = ["dark", "light", "system"] as const;
export type Theme = typeof THEMES[number];
export const DENSITIES = ["comfortable", "compact"] as const;
export type Density = typeof DENSITIES[number];

export const APPEARANCE_COOKIE = "paiid_look";

export interface Appearance {
  theme: Theme;
  density: Density;
}

export const DEFAULT_APPEARANCE: Appearance = { theme: "dark", density: "comfortable" };

/** The appearance in a `Cookie` header (`theme.density`), or the default; anything odd is ignored. */
export function appearanceFromCookieHeader(header: string | null): Appearance {
  for (const pair of header?.split(";") ?? []) {
    const [name, value = ""] = pair.trim().split("=", 2);
    if (name !== APPEARANCE_COOKIE) continue;
    const [theme, density] = value.split(".");
    return {
      theme: (THEMES as readonly string[]).includes(theme) ? theme as Theme : "dark",
      density: (DENSITIES as readonly string[]).includes(density)
        ? density as Density
        : "comfortable",
    };
  }
  return { ...DEFAULT_APPEARANCE };
}

/** The `document.cookie` assignment that remembers the appearance for a year. */
export function appearanceCookie(a: Appearance): string {
  return `${APPEARANCE_COOKIE}=${a.theme}.${a.density}; Path=/; Max-Age=31536000; SameSite=Lax`;
}
