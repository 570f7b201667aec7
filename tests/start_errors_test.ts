/**
 * `deno task start` when it cannot start: a data folder whose embedded database another process
 * holds. The app must say so in one line and exit 1, not die with a stack trace.
 */
import { equal, ok } from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { openDatabase } from "../lib/db/mod.ts";

Deno.test("a second start on a data folder already in use exits 1 with one clear line", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "paiid-busy-" });
  const holder = await openDatabase({ dataDir });
  try {
    const main = fileURLToPath(new URL("../main.ts", import.meta.url));
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", main],
      env: { DATA_DIR: dataDir, PORT: "0", DATABASE_URL: "", NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
    equal(out.code, 1, text);
    ok(text.includes("PaiiD could not start"), text);
    ok(text.includes("already open"), text);
    ok(!/\n\s+at /.test(text), `no stack trace expected:\n${text}`);
  } finally {
    await holder.close();
    await Deno.remove(dataDir, { recursive: true });
  }
});
