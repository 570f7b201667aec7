/** Waiting for the first paint before loading what the first screen does not need. */

/**
 * Resolves once the browser has painted the page: code that is not needed for it (the chart
 * library, panels below the fold) then never competes with the first paint. Browsers without
 * paint timing wait for the load event and a frame instead.
 */
export function afterFirstPaint(): Promise<void> {
  return new Promise((resolve) => {
    if (performance.getEntriesByType("paint").length > 0) return resolve();
    if (PerformanceObserver.supportedEntryTypes?.includes("paint")) {
      const observer = new PerformanceObserver(() => {
        observer.disconnect();
        resolve();
      });
      observer.observe({ type: "paint" });
      return;
    }
    const painted = () => requestAnimationFrame(() => setTimeout(resolve, 0));
    if (document.readyState === "complete") painted();
    else addEventListener("load", painted, { once: true });
  });
}
