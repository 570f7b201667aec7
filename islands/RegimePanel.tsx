import { RegimeView } from "../lib/client/scanner/RegimeView.tsx";

/** The market regime panel (lib/client/scanner/RegimeView.tsx) as an island. */
export default function RegimePanel() {
  return <RegimeView />;
}
