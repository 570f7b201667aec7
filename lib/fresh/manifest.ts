/**
 * Writes `fresh.gen.ts`: one static import per route and island module, so the app starts
 * without scanning the disk and Deno Deploy sees every module at build time.
 */
import { join, relative, sep } from "node:path";

const ROUTE_EXT = /\.(tsx|ts|jsx|js)$/;
const IGNORED = /(^|\/)(_test|.*_test)\.(tsx?|jsx?)$|\.d\.ts$/;

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  let entries: Deno.DirEntry[];
  try {
    entries = [...Deno.readDirSync(dir)];
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return out;
    throw err;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) out.push(...await listFiles(path));
    else if (entry.isFile && ROUTE_EXT.test(entry.name) && !IGNORED.test(entry.name)) {
      out.push(path);
    }
  }
  return out;
}

function toPosix(path: string): string {
  return path.split(sep).join("/");
}

/** A valid, stable JS identifier for a module path, e.g. `./routes/api/health.ts` → `$api_health`. */
function identifier(prefix: string, path: string, used: Set<string>): string {
  const base = "$" + prefix + path.replace(/^\.\/(routes|islands)\//, "").replace(ROUTE_EXT, "")
    .replace(/[^A-Za-z0-9_$]/g, "_");
  let name = base;
  for (let i = 2; used.has(name); i++) name = `${base}_${i}`;
  used.add(name);
  return name;
}

/** Source text of `fresh.gen.ts` for the project rooted at `root`. Deterministic (sorted). */
export async function generateManifest(root: string): Promise<string> {
  const routes = (await listFiles(join(root, "routes"))).map((p) =>
    "./" + toPosix(relative(root, p))
  )
    .sort();
  const islands = (await listFiles(join(root, "islands"))).map((p) =>
    "./" + toPosix(relative(root, p))
  ).sort();
  const used = new Set<string>();
  const routeIds = routes.map((p) => [p, identifier("", p, used)] as const);
  const islandIds = islands.map((p) => [p, identifier("island_", p, used)] as const);
  const lines = [
    "// DO NOT EDIT. Written by `deno task manifest` (and by dev.ts) from routes/ and islands/.",
    "// `deno task check` fails when it is stale.",
    "",
    ...routeIds.map(([p, id]) => `import * as ${id} from "${p}";`),
    ...islandIds.map(([p, id]) => `import * as ${id} from "${p}";`),
    "",
    'import type { Manifest } from "./lib/fresh/types.ts";',
    "",
    "const manifest = {",
    "  routes: {",
    ...routeIds.map(([p, id]) => `    "${p}": ${id},`),
    "  },",
    "  islands: {",
    ...islandIds.map(([p, id]) => `    "${p}": ${id},`),
    "  },",
    "  baseUrl: import.meta.url,",
    "} satisfies Manifest;",
    "",
    "export default manifest;",
    "",
  ];
  return lines.join("\n");
}

/** Writes the manifest when it differs; returns whether the file changed. */
export async function writeManifest(root: string): Promise<boolean> {
  const path = join(root, "fresh.gen.ts");
  const next = await generateManifest(root);
  let current = "";
  try {
    current = await Deno.readTextFile(path);
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
  }
  if (current === next) return false;
  await Deno.writeTextFile(path, next);
  return true;
}
