/**
 * The browser's boot script: hydrates each `<paiid-island>` the server rendered, with the props
 * the server serialized, loading only the island modules this page uses.
 */
import { h, hydrate } from "preact";

interface BootData {
  /** Island name → URL of its module. */
  modules: Record<string, string>;
  /** Props by island id (`data-id`). */
  props: Record<string, unknown>[];
}

const dataEl = document.getElementById("__paiid_islands");
if (dataEl?.textContent) {
  const data = JSON.parse(dataEl.textContent) as BootData;
  for (const el of document.querySelectorAll<HTMLElement>("paiid-island")) {
    // Nested markers are hydrated together with their outer island.
    if (el.parentElement?.closest("paiid-island")) continue;
    const name = el.dataset.island!;
    const props = data.props[Number(el.dataset.id)] ?? {};
    import(data.modules[name]).then((mod) => {
      hydrate(h(mod.default, props), el);
      // Its handlers are attached from here on: a script driving the page (a browser test)
      // waits for this rather than clicking a server-rendered button that does nothing yet.
      el.dataset.hydrated = "";
    }).catch((err) => {
      console.error(`PaiiD: island ${name} failed to load`, err);
    });
  }
}
