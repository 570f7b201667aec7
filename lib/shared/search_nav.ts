/** Keyboard movement and links for the symbol search box. */

/**
 * The active option after pressing an arrow: `step` is +1 (down) or -1 (up); -1 means none.
 * Moving wraps around, and up from "none" lands on the last option.
 */
export function moveActive(current: number, step: 1 | -1, count: number): number {
  if (count <= 0) return -1;
  if (current < 0) return step === 1 ? 0 : count - 1;
  return (current + step + count) % count;
}

/** The page of a symbol. */
export function symbolHref(symbol: string): string {
  return `/symbol/${encodeURIComponent(symbol.trim().toUpperCase())}`;
}
