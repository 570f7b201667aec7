import { useState } from "preact/hooks";
import { KEEP_SERVER_MARKUP } from "../../../client/browser_build.ts";
import Figure from "../server_only/Figure.tsx";

export default function Kept() {
  const [n, setN] = useState(0);
  return (
    <svg onClick={() => setN(n + 1)} data-clicks={n}>
      {globalThis.PAIID_BROWSER_BUILD ? <g dangerouslySetInnerHTML={KEEP_SERVER_MARKUP} /> : (
        <g>
          <Figure />
        </g>
      )}
    </svg>
  );
}
