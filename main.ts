/** PaiiD: `deno task start`. Everything it serves is listed in fresh.gen.ts. */
import manifest from "./fresh.gen.ts";
import config from "./fresh.config.ts";
import { start } from "./lib/server.ts";

await start(manifest, config);
