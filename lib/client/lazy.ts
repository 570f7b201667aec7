/**
 * A component whose code arrives with a dynamic import, so a page pays for it only when (or
 * after) it is needed. `when` false waits; once true the import starts and stays.
 */
import { useEffect, useState } from "preact/hooks";
import type { ComponentType } from "preact";

export interface Lazy<P> {
  Component: ComponentType<P> | null;
  failed: boolean;
}

export function useLazyComponent<P>(
  load: () => Promise<{ default: ComponentType<P> }>,
  when = true,
): Lazy<P> {
  const [Component, setComponent] = useState<ComponentType<P> | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (!when || Component) return;
    load().then((mod) => setComponent(() => mod.default)).catch(() => setFailed(true));
  }, [when]);
  return { Component, failed };
}
