import { equal } from "node:assert/strict";
import { exportHref, filtering, journalQuery, NO_FILTERS } from "./filters.ts";

Deno.test("the journal's filters become the API's query; blanks are left out", () => {
  equal(journalQuery(NO_FILTERS, { limit: 20 }), "?limit=20");
  equal(exportHref(NO_FILTERS), "/api/journal/export.csv");
  equal(filtering(NO_FILTERS), false);
  const f = {
    symbol: " aapl ",
    tag: "Breakout",
    emotion: "calm" as const,
    from: "2024-01-02",
    to: "",
  };
  equal(
    journalQuery(f, { limit: 20, before: 41 }),
    "?symbol=AAPL&tag=breakout&emotion=calm&from=2024-01-02&limit=20&before=41",
  );
  equal(
    exportHref(f),
    "/api/journal/export.csv?symbol=AAPL&tag=breakout&emotion=calm&from=2024-01-02",
  );
  equal(filtering({ ...NO_FILTERS, tag: "  " }), false);
});
