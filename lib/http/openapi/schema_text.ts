/**
 * One line of text for a JSON Schema, as the docs page shows a parameter or a body field:
 * `integer, 1 to 500, default 100`, `"open" | "closed" | "all"`, `array of string (≤ 50)`.
 * The page links the full schema beside it; this is the part a reader scans.
 */
import type { JsonSchema } from "./document.ts";

const json = (v: unknown) => JSON.stringify(v);

function bounds(s: JsonSchema): string[] {
  const out: string[] = [];
  const min = s.minimum ?? s.exclusiveMinimum;
  const max = s.maximum ?? s.exclusiveMaximum;
  const lo = s.exclusiveMinimum !== undefined ? ">" : "≥";
  const hi = s.exclusiveMaximum !== undefined ? "<" : "≤";
  const huge = (n: unknown) => typeof n === "number" && Math.abs(n) >= Number.MAX_SAFE_INTEGER;
  if (min !== undefined && max !== undefined && !huge(min) && !huge(max)) {
    out.push(lo === "≥" && hi === "≤" ? `${min} to ${max}` : `${lo} ${min}, ${hi} ${max}`);
  } else if (min !== undefined && !huge(min)) out.push(`${lo} ${min}`);
  else if (max !== undefined && !huge(max)) out.push(`${hi} ${max}`);
  if (s.minLength !== undefined || s.maxLength !== undefined) {
    out.push(`${s.minLength ?? 0} to ${s.maxLength ?? "∞"} characters`);
  }
  if (s.minItems !== undefined || s.maxItems !== undefined) {
    out.push(`${s.minItems ?? 0} to ${s.maxItems ?? "∞"} items`);
  }
  if (typeof s.format === "string") out.push(s.format);
  else if (typeof s.pattern === "string" && s.pattern.length <= 40) out.push(`/${s.pattern}/`);
  return out;
}

/** A compact description of `s`. */
export function schemaText(s: JsonSchema | undefined, depth = 0): string {
  if (!s || Object.keys(s).length === 0) return "any";
  const extra = s.default !== undefined ? [`default ${json(s.default)}`] : [];
  let head: string;
  if (Array.isArray(s.enum)) head = s.enum.map(json).join(" | ");
  else if (s.const !== undefined) head = json(s.const);
  else if (Array.isArray(s.anyOf) || Array.isArray(s.oneOf)) {
    const parts = (s.anyOf ?? s.oneOf) as JsonSchema[];
    head = depth > 1 ? "one of several shapes" : parts.map((p) => schemaText(p, depth + 1))
      .join(" | ");
  } else if (s.type === "array") {
    head = `array of ${schemaText(s.items as JsonSchema | undefined, depth + 1)}`;
  } else if (s.type === "object") {
    const keys = Object.keys((s.properties ?? {}) as object);
    head = keys.length ? `object { ${keys.join(", ")} }` : "object";
  } else if (Array.isArray(s.type)) head = s.type.join(" | ");
  else head = typeof s.type === "string" ? s.type : "any";
  return [head, ...bounds(s), ...extra].join(", ");
}
