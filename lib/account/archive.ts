/**
 * The export as one zip archive: the JSON export as it is (`paiid-export.json`), one CSV per
 * table (`csv/<table>.csv`, lib/account/csv.ts) and a README saying how to read them.
 */
import { strToU8, type Zippable, zipSync } from "fflate";
import { tableCsv } from "./csv.ts";
import type { UserExport } from "./export.ts";

export const JSON_NAME = "paiid-export.json";

const README = `PaiiD export

${JSON_NAME}   everything PaiiD holds about you, as one JSON document (no password or token).
csv/<table>.csv     the same rows, one file per table of the JSON document.

CSV files: comma-separated, UTF-8, CRLF line ends. The first line names the columns (every field
of the table's rows). Lists and nested objects are written as JSON text; an empty cell is null.
A text that starts with = + - @ or a tab is written with a leading ' so a spreadsheet shows it
as text instead of running it as a formula. A table with no rows is an empty file.
`;

/** The zip archive of `data`, its entries dated at the export's time. */
export function exportArchive(data: UserExport): Uint8Array<ArrayBuffer> {
  const mtime = new Date(data.exportedAt);
  const files: Zippable = {
    "README.txt": strToU8(README),
    [JSON_NAME]: strToU8(JSON.stringify(data, null, 2)),
  };
  for (const [table, rows] of Object.entries(data.tables)) {
    files[`csv/${table}.csv`] = strToU8(tableCsv(rows));
  }
  // fflate allocates plain ArrayBuffers; its types just do not say so.
  return zipSync(files, { level: 6, mtime }) as Uint8Array<ArrayBuffer>;
}
