/** `deno task build`: bundles the islands into `_fresh/` for hosts that can't run esbuild. */
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { writeManifest } from "./manifest.ts";
import { bundleIslands, writeSnapshot } from "./bundle.ts";
import { islandBundleInputs } from "./load.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
await writeManifest(root);
const { default: manifest } = await import(new URL("../../fresh.gen.ts", import.meta.url).href);
const bundle = await bundleIslands({
  root,
  islands: islandBundleInputs(manifest),
  basePath: "/_paiid/js",
});
await writeSnapshot(bundle, join(root, "_fresh"));
let total = 0;
for (const file of bundle.files.values()) total += file.gzip.length;
console.log(`_fresh/ written: ${bundle.files.size} files, ${total} bytes gzipped in all.`);
