/** Stands in for a large library an island loads on demand (lightweight-charts). */
export const HEAVY_MARKER = "heavy-library-body";
