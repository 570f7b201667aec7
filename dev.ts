/** `deno task dev`: refresh fresh.gen.ts from routes/ and islands/, then run the app (restarted by --watch). */
import { fileURLToPath } from "node:url";
import { writeManifest } from "./lib/fresh/manifest.ts";

if (await writeManifest(fileURLToPath(new URL("./", import.meta.url)))) {
  console.log("fresh.gen.ts updated.");
}
await import("./main.ts");
