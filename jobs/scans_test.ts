import assert from "node:assert/strict";
import { withTestDatabases } from "../lib/db/testing.ts";
import { openReplayForTest } from "../lib/market/testing.ts";
import { saveScan } from "../lib/scanner/saved.ts";
import { presetById } from "../lib/scanner/presets.ts";
import { runScheduledScans } from "./scans.ts";

withTestDatabases(
  "scheduled scans send their hits once per scan day to their owner",
  async (db) => {
    const market = openReplayForTest({ start: "2020-03-16" });
    try {
      const users = [];
      for (const name of ["a", "b"]) {
        const [u] = await db.query<{ id: number }>(
          "insert into users (username, email, password_hash) values ($1, $2, 'x') returning id",
          [name, `${name}@x.test`],
        );
        users.push(Number(u.id));
      }
      await saveScan(db, users[0], "Oversold", presetById("oversold")!.spec, true);
      await saveScan(db, users[1], "Not scheduled", presetById("oversold")!.spec, false);
      const report = await runScheduledScans(db, market);
      assert.deepEqual(report, { scans: 1, notified: 1, failed: 0 });
      const rows = await db.query<{ user_id: number; kind: string; title: string; body: string }>(
        "select user_id, kind, title, body from notifications order by id",
      );
      assert.equal(rows.length, 1);
      assert.equal(Number(rows[0].user_id), users[0]);
      assert.equal(rows[0].kind, "brief");
      assert.match(rows[0].title, /^Scan “Oversold”: \d+ hits on 2020-03-17 \(replay\)$/);
      assert.match(rows[0].body.split("\n")[0], /^[A-Z.]+: RSI\(14\) [\d.]+ < 30$/);
      // Run again the same day: nothing new.
      assert.deepEqual(await runScheduledScans(db, market), { scans: 1, notified: 0, failed: 0 });
    } finally {
      await market.close();
    }
  },
);
