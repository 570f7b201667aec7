/**
 * Renders a page: the page component inside its layouts inside `_app`, then adds what the
 * browser needs to hydrate the islands the render used. A page without islands gets no script.
 */
import { type ComponentChild, type ComponentType, h } from "preact";
import { renderToString } from "preact-render-to-string";
import { collectIslands, type IslandRecord, serializeForScript } from "./islands.ts";
import type { Bundle } from "./bundle.ts";
import type { LayoutModule, LayoutProps, PageProps } from "./types.ts";

export interface RenderInput {
  page: ComponentType<PageProps<unknown, Record<string, unknown>>>;
  layouts: LayoutModule[];
  app?: LayoutModule;
  props: PageProps<unknown, Record<string, unknown>>;
}

function DefaultApp({ Component }: LayoutProps) {
  return h(
    "html",
    { lang: "en" },
    h(
      "head",
      null,
      h("meta", { charset: "utf-8" }),
      h("meta", {
        name: "viewport",
        content: "width=device-width, initial-scale=1",
      }),
    ),
    h("body", null, h(Component, null)),
  );
}

/** Renders to an HTML document string and reports the islands it used. */
export function renderDocument(input: RenderInput): { html: string; islands: IslandRecord[] } {
  const { page, layouts, props } = input;
  const frame = { url: props.url, params: props.params, state: props.state, route: props.route };
  type Frame = ComponentType<Record<string, never>>;
  let Inner: Frame = () => h(page, props);
  for (const layout of [...layouts].reverse()) {
    const Wrapped: Frame = Inner;
    const Layout = layout.default;
    Inner = (): ComponentChild => h(Layout, { ...frame, Component: Wrapped });
  }
  const App = input.app?.default ?? DefaultApp;
  const { result, islands } = collectIslands(() =>
    renderToString(h(App, { ...frame, Component: Inner }))
  );
  return { html: "<!DOCTYPE html>" + result, islands };
}

function escapeAttr(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/"/g, "&quot;");
}

/**
 * Adds the boot data, boot script and module preloads for `islands` to `html`. With no islands,
 * returns `html` untouched: such a page ships zero JavaScript.
 */
export function injectIslandScripts(
  html: string,
  islands: IslandRecord[],
  bundle: Bundle,
): string {
  if (islands.length === 0) return html;
  const modules: Record<string, string> = {};
  for (const { name } of islands) {
    const url = bundle.islands[name];
    if (!url) throw new Error(`Island ${name} is not in the bundle (is fresh.gen.ts stale?).`);
    modules[name] = url;
  }
  const preload = new Set<string>();
  for (const url of [bundle.boot, ...Object.values(modules)]) {
    preload.add(url);
    for (const dep of bundle.preloads[url] ?? []) preload.add(dep);
  }
  preload.delete(bundle.boot);
  const links = [...preload].map((url) => `<link rel="modulepreload" href="${escapeAttr(url)}">`)
    .join("");
  const data = serializeForScript({ modules, props: islands.map((i) => i.props) });
  const scripts = `<script type="application/json" id="__paiid_islands">${data}</script>` +
    `<script type="module" src="${escapeAttr(bundle.boot)}"></script>`;
  const withLinks = insertBefore(html, "</head>", links);
  return insertBefore(withLinks, "</body>", scripts);
}

function insertBefore(html: string, tag: string, text: string): string {
  const at = html.lastIndexOf(tag);
  return at === -1 ? html + text : html.slice(0, at) + text + html.slice(at);
}
