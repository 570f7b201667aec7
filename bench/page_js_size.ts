/**
 * The JavaScript a signed-in page loads before any interaction, gzipped: the boot script, the
 * islands and every chunk they import statically (lazy panels are not counted).
 * `deno run -A bench/page_js_size.ts [-v]` (-v lists each file).
 *
 * Printed on the 2-core development machine, 2026-12-05 (issue 21's goals: 12 KB for `/`,
 * 30 KB before first paint for a symbol page, the chart library after it):
 *   / 10 files 11950 B gz (static imports)
 *   /symbol/AAPL 30 files 29585 B gz (static imports)
 *   /risk 26 files 54053 B gz (static imports)
 * The hub was 14,100 B before its wheel became server markup, and 12,151 B before the New York
 * time formatters (which it does not show) left lib/shared/format.ts for format_time.ts.
 */
import { closeTestPglitePool, openTestApp } from "../tests/_harness.ts";
import { browserSignUp } from "../tests/_auth.ts";
import { gzipSync } from "node:zlib";
const t = await openTestApp({ LOG_LEVEL: "silent" });
const b = await browserSignUp(t.app);
for (const path of ["/", "/symbol/AAPL", "/risk"]) {
  const html = await (await t.app.request(path, { headers: b.headers() })).text();
  const seen = new Set<string>();
  const queue = [...html.matchAll(/(?:src|href)="(\/_paiid\/js\/[^"]+\.js)"/g)].map((m) => m[1]);
  let total = 0;
  while (queue.length) {
    const u = queue.shift()!;
    if (seen.has(u)) continue;
    seen.add(u);
    const js = await (await t.app.request(u)).text();
    total += gzipSync(js).length;
    if (Deno.args.includes("-v")) console.log("  ", gzipSync(js).length, u);
    for (
      const m of js.matchAll(
        /from\s*"(\.\/[^"]+\.js)"|import\(\s*"(\.\/[^"]+\.js)"\)|import\s*"(\.\/[^"]+\.js)"/g,
      )
    ) {
      const rel = m[1] ?? m[3];
      if (rel) queue.push(new URL(rel, "http://x" + u).pathname);
    }
  }
  console.log(path, seen.size, "files", total, "B gz (static imports)");
}
await t.close();
await closeTestPglitePool();
