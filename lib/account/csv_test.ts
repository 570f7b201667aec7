import assert from "node:assert/strict";
import { csvCell, csvColumns, tableCsv } from "./csv.ts";
import { parseCsv } from "../ml/sentiment/dataset.ts";

Deno.test("csvCell: quotes what needs it, writes nested values as JSON, null as empty", () => {
  assert.equal(csvCell("plain"), "plain");
  assert.equal(csvCell('say "hi", twice'), '"say ""hi"", twice"');
  assert.equal(csvCell("two\nlines"), '"two\nlines"');
  assert.equal(csvCell(null), "");
  assert.equal(csvCell(undefined), "");
  assert.equal(csvCell(-12.5), "-12.5", "a negative number stays a number");
  assert.equal(csvCell(true), "true");
  assert.equal(csvCell(["AAPL", "MSFT"]), '"[""AAPL"",""MSFT""]"');
  assert.equal(csvCell({ theme: "dark" }), '"{""theme"":""dark""}"');
});

Deno.test("csvCell: text a spreadsheet would run as a formula gets a leading '", () => {
  for (const danger of ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tTAB", "\rCR"]) {
    const cell = csvCell(danger);
    const [[text]] = parseCsv(cell);
    assert.equal(text, `'${danger}`, JSON.stringify(danger));
  }
  assert.equal(csvCell('=HYPERLINK("http://x","y")'), `"'=HYPERLINK(""http://x"",""y"")"`);
  assert.equal(csvCell("a=b"), "a=b", "only at the start");
});

Deno.test("tableCsv: a header of every key in first-seen order, one line per row", () => {
  const rows = [{ id: 1, name: "a,b" }, { id: 2, extra: null, name: "=x" }];
  assert.deepEqual(csvColumns(rows), ["id", "name", "extra"]);
  const text = tableCsv(rows);
  assert.ok(text.endsWith("\r\n"));
  assert.deepEqual(parseCsv(text), [["id", "name", "extra"], ["1", "a,b", ""], ["2", "'=x", ""]]);
  assert.equal(tableCsv([]), "");
});
