/**
 * The journal as CSV (RFC 4180: CRLF lines, fields quoted when they hold a comma, quote or line
 * break). Entries are free text that a spreadsheet will open, so a cell that starts with `=`,
 * `+`, `-`, `@`, a tab or a carriage return gets a leading `'`: the spreadsheet shows it as text
 * instead of running it as a formula (OWASP's advice on CSV injection).
 *
 * @module
 */
import type { JournalEntry } from "../shared/journal.ts";

export const JOURNAL_CSV_COLUMNS = [
  "id",
  "created_at_utc",
  "updated_at_utc",
  "link",
  "symbol",
  "order_id",
  "fill_id",
  "emotion",
  "tags",
  "why",
  "plan",
  "lesson",
] as const;

const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell: defused if a spreadsheet could read it as a formula, then quoted if needed. */
export function csvCell(value: string | number | null): string {
  let text = value === null ? "" : String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function journalCsv(entries: readonly JournalEntry[]): string {
  const lines = [JOURNAL_CSV_COLUMNS.join(",")];
  for (const e of entries) {
    lines.push(
      [
        e.id,
        e.createdAt,
        e.updatedAt,
        e.link,
        e.symbol,
        e.orderId,
        e.fillId,
        e.emotion,
        e.tags.join(" "),
        e.why,
        e.plan,
        e.lesson,
      ].map(csvCell).join(","),
    );
  }
  return lines.join("\r\n") + "\r\n";
}
