/**
 * The scan's hits: a table sortable by any column from the keyboard (each header is a button,
 * its order announced through `aria-sort`), the symbol a link to its page, the reasons in words
 * and a 30-day sparkline of closes.
 */
import { useState } from "preact/hooks";
import type { ScanHit } from "../../shared/scan.ts";
import { formatPrice } from "../../shared/format.ts";
import { nextSort, sortHits, type SortKey, sparkPoints, type TableSort } from "./results.ts";

function Spark({ values }: { values: number[] }) {
  const up = values.length > 1 && values.at(-1)! >= values[0];
  return (
    <svg class="scan-spark" width="80" height="24" viewBox="-1 -1 82 26" aria-hidden="true">
      <polyline class={up ? "gain" : "loss"} points={sparkPoints(values, 80, 24)} />
    </svg>
  );
}

export function ResultsTable({ hits }: { hits: ScanHit[] }) {
  const [sort, setSort] = useState<TableSort | null>(null);
  const labels = [...new Set(hits.flatMap((h) => Object.keys(h.values)))];
  const rows = sortHits(hits, sort);
  const header = (key: SortKey, text: string) => {
    const active = sort?.key === key;
    return (
      <th
        scope="col"
        aria-sort={active ? (sort!.direction === "asc" ? "ascending" : "descending") : "none"}
      >
        <button type="button" class="link-button" onClick={() => setSort(nextSort(sort, key))}>
          {text}
          {active ? (sort!.direction === "asc" ? " ▲" : " ▼") : ""}
        </button>
      </th>
    );
  };
  return (
    <div class="scan-table-wrap">
      <table class="positions-table scan-table" data-testid="scan-results">
        <thead>
          <tr>
            {header("symbol", "Symbol")}
            {header("close", "Close (USD)")}
            {labels.map((l) => header(`value:${l}`, l))}
            <th scope="col">Why it matched</th>
            <th scope="col">30 days</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((h) => (
            <tr key={h.symbol} data-testid="scan-hit">
              <th scope="row">
                <a href={`/symbol/${encodeURIComponent(h.symbol)}`} data-testid="scan-hit-link">
                  {h.symbol}
                </a>
                <div class="muted scan-name">{h.name}</div>
              </th>
              <td class="positions-num">{formatPrice(h.close)}</td>
              {labels.map((l) => (
                <td class="positions-num" key={l}>
                  {h.values[l] === undefined ? "—" : h.values[l].toLocaleString("en-US", {
                    maximumFractionDigits: 2,
                  })}
                </td>
              ))}
              <td class="scan-reasons">{h.reasons.join("; ")}</td>
              <td>
                <Spark values={h.spark} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
