/**
 * One table of the export as CSV (RFC 4180: comma-separated, CRLF lines, quoted when needed).
 * Columns are every key the rows have, in the order they first appear. Nested values (arrays,
 * objects) are written as JSON text, null as an empty cell.
 *
 * Safe to open in a spreadsheet: a text cell starting with `=`, `+`, `-`, `@`, a tab or a
 * carriage return would be read as a formula there, so it gets a leading `'` (OWASP's advice
 * for CSV injection). Numbers are written as they are, negative ones included.
 */

const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell's text, escaped for CSV and defused for spreadsheets. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  let text: string;
  if (typeof value === "string") text = FORMULA_START.test(value) ? `'${value}` : value;
  else if (typeof value === "object") text = JSON.stringify(value);
  else text = String(value);
  // A JSON text can start with `-` only as a number, and `[`/`{`/`"` never need defusing.
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The columns of `rows`: every key, in the order it first appears. */
export function csvColumns(rows: readonly unknown[]): string[] {
  const columns = new Set<string>();
  for (const row of rows) {
    if (row && typeof row === "object") { for (const key of Object.keys(row)) columns.add(key); }
  }
  return [...columns];
}

/** `rows` (JSON objects) as CSV text with a header line; "" for no rows. */
export function tableCsv(rows: readonly unknown[]): string {
  if (rows.length === 0) return "";
  const columns = csvColumns(rows);
  const lines = [columns.map(csvCell).join(",")];
  for (const row of rows) {
    const record = (row ?? {}) as Record<string, unknown>;
    lines.push(columns.map((c) => csvCell(record[c])).join(","));
  }
  return lines.join("\r\n") + "\r\n";
}
