/** Waiting for the first paint before loading what the first screen does not need. */

/**
 * Resolves once the browser has painted the page's content (First Contentful Paint): code that is
 * not needed for it (the chart library, panels below the fold) then never competes with it. Not
 * just any paint: a first paint of the background alone can come well before the content on a
 * slow machine, and what loads after it would still delay the content.
 *
 * Browsers report no paint for a page loaded in a background tab, so there it waits for the tab
 * to be shown and a frame; browsers without paint timing wait for the load event and a frame.
 * Whatever else happens, it resolves ten seconds after the load event.
 */
export function afterFirstPaint(): Promise<void> {
  return new Promise((resolve) => {
    const FCP = "first-contentful-paint";
    if (performance.getEntriesByName(FCP).length > 0) return resolve();
    const frame = () => requestAnimationFrame(() => setTimeout(resolve, 0));
    const afterLoad = (fn: () => void) => {
      if (document.readyState === "complete") fn();
      else addEventListener("load", fn, { once: true });
    };
    if (!PerformanceObserver.supportedEntryTypes?.includes("paint")) return afterLoad(frame);
    const observer = new PerformanceObserver((list) => {
      if (list.getEntriesByName(FCP).length === 0) return;
      observer.disconnect();
      resolve();
    });
    // `buffered`: a paint between the check above and this call is delivered too.
    observer.observe({ type: "paint", buffered: true });
    if (document.visibilityState === "hidden") {
      addEventListener("visibilitychange", frame, { once: true });
    }
    afterLoad(() => setTimeout(resolve, 10_000));
  });
}
