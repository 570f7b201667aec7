/** Stands in for large static markup only the server renders (the radial menu's wedges). */
export const FIGURE_MARKER = "server-only-figure-markup";

export default function Figure() {
  return <path d={FIGURE_MARKER} />;
}
