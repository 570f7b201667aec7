/**
 * Server side of islands: while a page renders, every island component it uses is wrapped in a
 * `<paiid-island>` marker and its props are collected, so the browser can hydrate exactly those
 * components with exactly those props and nothing else.
 */
import { type ComponentChild, type ComponentType, createContext, h, options } from "preact";
import { useContext } from "preact/hooks";
import { renderToString } from "preact-render-to-string";

/** The marker element; `display: contents` keeps it out of layout. */
export const ISLAND_TAG = "paiid-island";

export interface IslandRecord {
  name: string;
  props: Record<string, unknown>;
}

/** What one render collected: the islands, in document order. */
export interface IslandCollector {
  islands: IslandRecord[];
}

// deno-lint-ignore no-explicit-any
const registry = new Map<ComponentType<any>, string>();
let current: IslandCollector | null = null;
const InsideIsland = createContext(false);

/** Registers an island component under its name (its file name: `RadialMenu`). */
// deno-lint-ignore no-explicit-any
export function registerIsland(name: string, component: ComponentType<any>): void {
  if (typeof component !== "function") {
    throw new Error(`islands/${name}: the default export must be a Preact component.`);
  }
  registry.set(component, name);
}

/**
 * Runs a synchronous render and returns what it produced plus the islands it used.
 * Rendering is synchronous, so one module-level collector at a time is safe.
 */
export function collectIslands<T>(render: () => T): { result: T; islands: IslandRecord[] } {
  const previous = current;
  const collector: IslandCollector = { islands: [] };
  current = collector;
  try {
    return { result: render(), islands: collector.islands };
  } finally {
    current = previous;
  }
}

/**
 * An island whose server markup depends on its props alone (no request, no context, no clock)
 * may say so with `static renderOnce = true` (a property on the component): its markup is then
 * rendered once per process for each distinct set of props and reused, instead of walking the
 * same tree on every request. The browser hydrates it exactly as before.
 */
export interface RenderOnceIsland {
  renderOnce?: boolean;
}

/** Distinct prop sets kept per island; past this, renders are no longer cached. */
const RENDER_ONCE_LIMIT = 64;
// deno-lint-ignore no-explicit-any
const renderedOnce = new WeakMap<ComponentType<any>, Map<string, string>>();

function markupOnce(
  component: ComponentType<Record<string, unknown>>,
  props: Record<string, unknown>,
): string | undefined {
  if ((component as RenderOnceIsland).renderOnce !== true) return undefined;
  let cache = renderedOnce.get(component);
  if (!cache) renderedOnce.set(component, cache = new Map());
  const key = JSON.stringify(props);
  let html = cache.get(key);
  if (html === undefined) {
    html = renderToString(h(InsideIsland.Provider, { value: true }, original(component, props)));
    if (cache.size < RENDER_ONCE_LIMIT) cache.set(key, html);
  }
  return html;
}

interface WrapperProps {
  island: string;
  component: ComponentType<Record<string, unknown>>;
  props: Record<string, unknown>;
}

/** Set while the wrapper creates the original element, so the hook does not wrap it again. */
let unwrapped = false;

function original(
  component: ComponentType<Record<string, unknown>>,
  props: Record<string, unknown>,
) {
  unwrapped = true;
  try {
    return h(component, props);
  } finally {
    unwrapped = false;
  }
}

function IslandWrapper({ island, component, props }: WrapperProps): ComponentChild {
  // An island inside another island is hydrated as part of its parent: render it plainly.
  if (useContext(InsideIsland) || current === null) return original(component, props);
  assertSerializable(island, props);
  const id = current.islands.length;
  current.islands.push({ name: island, props });
  const marker = { "data-island": island, "data-id": String(id) } as Record<string, string>;
  const html = markupOnce(component, props);
  if (html !== undefined) {
    return h(ISLAND_TAG, { ...marker, dangerouslySetInnerHTML: { __html: html } });
  }
  return h(
    ISLAND_TAG,
    marker,
    h(InsideIsland.Provider, { value: true }, original(component, props)),
  );
}

const previousVnodeHook = options.vnode;
options.vnode = (vnode) => {
  const name = !unwrapped && typeof vnode.type === "function"
    ? registry.get(vnode.type)
    : undefined;
  if (name !== undefined) {
    const props = vnode.props as Record<string, unknown>;
    const original = vnode.type as ComponentType<Record<string, unknown>>;
    // Swap in the wrapper; the original component and props travel as its props.
    (vnode as { type: unknown }).type = IslandWrapper;
    (vnode as { props: unknown }).props = { island: name, component: original, props };
  }
  previousVnodeHook?.(vnode);
};

/** Why `value` can't travel to the browser as JSON, or null when it can. */
function unserializable(value: unknown, seen: Set<object>): string | null {
  switch (typeof value) {
    case "string":
    case "boolean":
      return null;
    case "number":
      return Number.isFinite(value) ? null : `${value} is not a finite number`;
    case "undefined":
      return "undefined";
    case "function":
      return "a function";
    case "symbol":
      return "a symbol";
    case "bigint":
      return "a bigint";
  }
  if (value === null) return null;
  const obj = value as object;
  if (seen.has(obj)) return "a circular reference";
  if (Array.isArray(obj)) return null;
  // Preact's VNodes are plain objects with `constructor: undefined`.
  if (
    "type" in obj && "props" in obj && (obj as { constructor?: unknown }).constructor === undefined
  ) {
    return "a JSX element; islands take no JSX children or elements as props";
  }
  const proto = Object.getPrototypeOf(obj);
  if (proto !== Object.prototype && proto !== null) {
    return `a ${proto.constructor?.name ?? "class"} instance`;
  }
  return null;
}

function walk(
  value: unknown,
  path: string,
  seen: Set<object>,
): { path: string; why: string } | null {
  const why = unserializable(value, seen);
  if (why) return { path, why };
  if (value === null || typeof value !== "object") return null;
  seen.add(value);
  const entries = Array.isArray(value)
    ? value.map((v, i) => [`${path}[${i}]`, v] as const)
    : Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) =>
      [`${path}.${k}`, v] as const
    );
  for (const [p, v] of entries) {
    const bad = walk(v, p, seen);
    if (bad) return bad;
  }
  seen.delete(value);
  return null;
}

/**
 * Throws when a prop can't be sent as JSON, naming the island and the prop, so the mistake is
 * found at render time on the server instead of as a broken page in the browser.
 */
export function assertSerializable(island: string, props: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined) continue;
    const bad = walk(value, key, new Set());
    if (bad) {
      throw new Error(
        `Island "${island}": prop "${bad.path}" is not serializable (${bad.why}). ` +
          "Island props must be JSON values: strings, finite numbers, booleans, null, arrays and plain objects.",
      );
    }
  }
}

/** JSON for a `<script type="application/json">`: `<` is escaped so no string can close the tag. */
export function serializeForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(
    /\u2029/g,
    "\\u2029",
  );
}
