/**
 * The underlying an OCC root names. Most roots are the ticker; weekly S&P 500 options trade
 * under SPXW, and class shares drop their dot (BRKB for BRK.B), the two cases in PaiiD's
 * universe. Chains are read by underlying, positions are grouped by it.
 *
 * @module
 */

const ROOTS: Record<string, string> = { SPXW: "SPX", BRKB: "BRK.B" };

export function underlyingOf(root: string): string {
  return ROOTS[root] ?? root;
}
