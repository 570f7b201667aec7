import { PatternsView } from "../lib/client/scanner/PatternsView.tsx";

/** Chart patterns with their record (lib/client/scanner/PatternsView.tsx) as an island. */
export default function PatternsPanel(props: { symbol?: string; days?: number }) {
  return <PatternsView {...props} />;
}
