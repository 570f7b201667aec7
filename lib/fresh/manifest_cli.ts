/** `deno task manifest` writes fresh.gen.ts; `--check` exits 1 when it is stale (used by `deno task check`). */
import { fileURLToPath } from "node:url";
import { generateManifest, writeManifest } from "./manifest.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));

if (Deno.args.includes("--check")) {
  const expected = await generateManifest(root);
  const actual = await Deno.readTextFile(root + "fresh.gen.ts").catch(() => "");
  if (expected !== actual) {
    console.error("fresh.gen.ts is stale: run `deno task manifest` and commit the result.");
    Deno.exit(1);
  }
  console.log("fresh.gen.ts is up to date.");
} else {
  const changed = await writeManifest(root);
  console.log(changed ? "fresh.gen.ts written." : "fresh.gen.ts already up to date.");
}
