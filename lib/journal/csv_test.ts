import { equal } from "node:assert/strict";
import { csvCell, JOURNAL_CSV_COLUMNS, journalCsv } from "./csv.ts";
import type { JournalEntry } from "../shared/journal.ts";

Deno.test("cells a spreadsheet would run as a formula get a leading quote", () => {
  for (const formula of ["=1+1", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]) {
    const out = csvCell(formula);
    equal(out.replace(/^"/, "").startsWith("'"), true, JSON.stringify(formula));
  }
  equal(csvCell('=HYPERLINK("http://x","y")'), `"'=HYPERLINK(""http://x"",""y"")"`);
  equal(csvCell("plain"), "plain");
  equal(csvCell("a, b"), '"a, b"');
  equal(csvCell('say "hi"'), '"say ""hi"""');
  equal(csvCell("two\nlines"), '"two\nlines"');
  equal(csvCell(null), "");
  equal(csvCell(12), "12");
  equal(csvCell("a=b"), "a=b", "only the first character matters");
});

Deno.test("the journal CSV: a header, one CRLF line per entry, fields in column order", () => {
  const entry: JournalEntry = {
    id: 7,
    link: "fill",
    symbol: "AAPL",
    orderId: "0b6c4f0e-8a3e-4c59-9a55-3f1f4f1b2c3d",
    fillId: "12",
    why: "=cmd|' /C calc'!A0",
    plan: "sell, at 200",
    emotion: "calm",
    lesson: "",
    tags: ["breakout", "swing"],
    createdAt: "2024-01-02T15:00:00.000Z",
    updatedAt: "2024-01-02T15:05:00.000Z",
  };
  const csv = journalCsv([entry]);
  const lines = csv.split("\r\n");
  equal(lines[0], JOURNAL_CSV_COLUMNS.join(","));
  equal(
    lines[1],
    "7,2024-01-02T15:00:00.000Z,2024-01-02T15:05:00.000Z,fill,AAPL," +
      "0b6c4f0e-8a3e-4c59-9a55-3f1f4f1b2c3d,12,calm,breakout swing,'=cmd|' /C calc'!A0," +
      '"sell, at 200",',
  );
  equal(lines[2], "");
  equal(lines.length, 3);
  equal(journalCsv([]), JOURNAL_CSV_COLUMNS.join(",") + "\r\n");
});
