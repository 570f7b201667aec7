/**
 * `GET /api/users/me/export.zip`: the archive unzips into the JSON export, one CSV per table and
 * a README; it holds exactly the caller's rows and nothing of another user's; each CSV's header
 * and rows are the JSON table's, cell by cell; and no text cell can run as a spreadsheet formula.
 */
import assert from "node:assert/strict";
import { strFromU8, unzipSync } from "fflate";
import { openTestApp, type TestApp } from "./_harness.ts";
import { type SignedIn, signUp } from "./_auth.ts";
import { call } from "./_api.ts";
import { openReplayForTest } from "../lib/market/testing.ts";
import { EXPORTED } from "../lib/account/export.ts";
import { parseCsv } from "../lib/ml/sentiment/dataset.ts";
import { TEMPLATES } from "../lib/strategy/templates.ts";

async function withApp(fn: (t: TestApp) => Promise<void>) {
  const t = await openTestApp({ RATE_LIMIT_PER_MINUTE: "100000" }, {
    market: () => openReplayForTest(),
  });
  try {
    await fn(t);
  } finally {
    await t.close();
  }
}

/** A user with rows in many tables, every text marked with `mark` (and some formula-like). */
async function busyUser(t: TestApp, mark: string): Promise<SignedIn> {
  const me = await signUp(t.app, { username: `${mark}_${crypto.randomUUID().slice(0, 6)}` });
  const s = { t, bearer: me.bearer };
  const ok = (r: { status: number; body: unknown }, ...status: number[]) =>
    assert.ok(status.includes(r.status), `${r.status} ${JSON.stringify(r.body)}`);
  ok(await call(s, "PATCH", "/api/settings", { maxPositionPercent: 100, theme: "light" }), 200);
  ok(
    await call(s, "POST", "/api/watchlists", {
      name: `+${mark}, "core"`,
      symbols: ["AAPL", "KO"],
    }),
    201,
  );
  ok(
    await call(s, "POST", "/api/alerts", {
      symbol: "MSFT",
      condition: "price_above",
      threshold: 10_000,
      note: `=HYPERLINK("http://example.test/${mark}","x")`,
    }),
    201,
  );
  ok(
    await call(s, "POST", "/api/orders", {
      symbol: "KO",
      side: "buy",
      type: "market",
      qty: 2,
      clientOrderId: crypto.randomUUID(),
    }),
    200,
    201,
  );
  ok(
    await call(s, "POST", "/api/proposals", {
      order: { symbol: "AAPL", side: "buy", type: "limit", qty: 1, limitPrice: 1 },
      note: `-${mark} idea`,
    }),
    201,
  );
  ok(
    await call(s, "POST", "/api/strategies", {
      name: `${mark} cross`,
      rules: TEMPLATES["sma-cross"].rules,
    }),
    201,
  );
  ok(await call(s, "POST", "/api/auth/tokens", { name: `@${mark} script` }), 201);
  return me;
}

/** What the archive's CSV must hold for one JSON value (the rule the README states). */
function expectedCell(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "string") return /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

Deno.test("the export archive holds the user's tables as JSON and CSV, and nothing of another user's", async () => {
  await withApp(async (t) => {
    const a = await busyUser(t, "alice");
    const b = await busyUser(t, "bob");

    const anonymous = await t.app.request("/api/users/me/export.zip");
    assert.equal(anonymous.status, 401);
    await anonymous.body?.cancel();

    const res = await t.app.request("/api/users/me/export.zip", { headers: a.bearer });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("Content-Type"), "application/zip");
    assert.equal(res.headers.get("Cache-Control"), "no-store");
    assert.match(
      res.headers.get("Content-Disposition") ?? "",
      new RegExp(`^attachment; filename="paiid-export-${a.user.id}-\\d{4}-\\d{2}-\\d{2}\\.zip"$`),
    );
    const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
    const tables = Object.keys(EXPORTED);
    assert.deepEqual(
      Object.keys(files).sort(),
      ["README.txt", "paiid-export.json", ...tables.map((n) => `csv/${n}.csv`)].sort(),
    );
    const texts = Object.fromEntries(Object.entries(files).map(([n, f]) => [n, strFromU8(f)]));

    // The JSON is the export itself: the same tables and rows as GET /api/users/me/export.
    const data = JSON.parse(texts["paiid-export.json"]);
    assert.equal(data.format, "paiid-export");
    assert.equal(data.userId, a.user.id);
    const plain = await call({ t, bearer: a.bearer }, "GET", "/api/users/me/export");
    assert.deepEqual(data.tables, plain.body.tables);
    for (const table of ["orders", "trades", "watchlists", "price_alerts", "api_tokens"]) {
      assert.ok(data.tables[table].length >= 1, `${table} has the user's rows`);
    }
    for (const table of ["strategies", "proposals", "paper_positions", "notifications"]) {
      assert.ok(data.tables[table].length >= 1, `${table} has the user's rows`);
    }
    for (const [table, rows] of Object.entries(data.tables) as [string, { user_id?: number }[]][]) {
      for (const row of rows) {
        if ("user_id" in row) assert.equal(row.user_id, a.user.id, table);
      }
    }

    // Each CSV is its table: the header names every field, each line is one row, cell by cell.
    for (const table of tables) {
      const rows = data.tables[table] as Record<string, unknown>[];
      const text = texts[`csv/${table}.csv`];
      if (rows.length === 0) {
        assert.equal(text, "", `${table}: no rows, empty file`);
        continue;
      }
      const [header, ...lines] = parseCsv(text);
      const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
      assert.deepEqual(header, columns, `${table}: header`);
      assert.equal(lines.length, rows.length, `${table}: one line per row`);
      rows.forEach((row, i) => {
        assert.deepEqual(lines[i], columns.map((c) => expectedCell(row[c])), `${table} row ${i}`);
      });
      // Nothing a spreadsheet would run: a cell starting like a formula is a number.
      for (const cell of lines.flat()) {
        if (/^[=+\-@\t\r]/.test(cell)) {
          assert.ok(Number.isFinite(Number(cell)), `${table}: ${cell}`);
        }
      }
    }
    const alertNote = parseCsv(texts["csv/price_alerts.csv"])[1][
      parseCsv(texts["csv/price_alerts.csv"])[0].indexOf("note")
    ];
    assert.equal(alertNote, `'=HYPERLINK("http://example.test/alice","x")`);
    const [wlHeader, wlRow] = parseCsv(texts["csv/watchlists.csv"]);
    assert.equal(wlRow[wlHeader.indexOf("name")], `'+alice, "core"`);
    assert.equal(wlRow[wlHeader.indexOf("symbols")], '["AAPL","KO"]');

    // Nothing of the other user anywhere in the archive.
    const all = Object.values(texts).join("\n");
    for (const theirs of [b.user.username, b.user.email, "bob", `user_id":${b.user.id},`]) {
      assert.ok(!all.includes(theirs), `the archive mentions ${theirs}`);
    }
    for (const secret of ["password_hash", "token_hash", "$2a$", "$2b$"]) {
      assert.ok(!all.includes(secret), secret);
    }
    assert.match(texts["README.txt"], /leading '/);
  });
});
