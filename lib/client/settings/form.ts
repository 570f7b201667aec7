/**
 * The Settings form's rules, kept out of the island: what changed (only that is sent), how a
 * typed number becomes a value, and applying an appearance to the page at once.
 */
import { type Appearance, appearanceCookie } from "../../shared/appearance.ts";

/** The settings the form edits, as the API returns them. */
export interface EditableSettings {
  riskTolerance: number;
  maxPositionPercent: number;
  maxOrderValue: number;
  dailyLossLimit: number;
  allowShortSelling: boolean;
  defaultOrderSize: number;
  defaultOrderType: "market" | "limit";
  defaultTimeInForce: "day" | "gtc";
  startingCash: number;
  toastKinds: string[];
  theme: Appearance["theme"];
  density: Appearance["density"];
  telemetry: boolean;
}

/** The fields whose value differs from `initial`: the PATCH body. */
export function changedFields(
  initial: EditableSettings,
  draft: EditableSettings,
): Partial<EditableSettings> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(draft) as (keyof EditableSettings)[]) {
    const a = initial[key];
    const b = draft[key];
    const same = Array.isArray(a) && Array.isArray(b)
      ? a.length === b.length && [...a].sort().join() === [...b].sort().join()
      : a === b;
    if (!same) out[key] = b;
  }
  return out as Partial<EditableSettings>;
}

/** A number field's text as a number, or NaN when it is not one (the server says why). */
export function parseNumber(text: string): number {
  const cleaned = text.replace(/[,\s$%]/g, "");
  return cleaned === "" ? NaN : Number(cleaned);
}

/** Shows `a` now, and remembers it in the cookie the server paints the next page with. */
export function applyAppearance(a: Appearance, doc: Document = document): void {
  doc.documentElement.dataset.theme = a.theme;
  doc.documentElement.dataset.density = a.density;
  doc.cookie = appearanceCookie(a);
}
