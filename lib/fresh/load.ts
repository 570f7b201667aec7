/**
 * Where the island bundle comes from at start-up: the `_fresh/` snapshot when it matches the
 * sources, otherwise a fresh esbuild run (the usual case on a developer's machine).
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Bundle, bundleIslands, hashInputs, readSnapshot } from "./bundle.ts";
import { islandName } from "./app.ts";
import type { Manifest } from "./types.ts";

/** Island name → absolute path, from the manifest. */
export function islandBundleInputs(manifest: Manifest): Record<string, string> {
  const root = fileURLToPath(new URL("./", manifest.baseUrl));
  const out: Record<string, string> = {};
  for (const file of Object.keys(manifest.islands)) out[islandName(file)] = join(root, file);
  return out;
}

export interface LoadBundleOptions {
  manifest: Manifest;
  /** Where `deno task build` writes; default `<root>/_fresh`. */
  snapshotDir?: string;
  /** Report which bundle was used (for the start-up log). */
  onInfo?: (message: string) => void;
}

export async function loadBundle(opts: LoadBundleOptions): Promise<Bundle> {
  const root = fileURLToPath(new URL("./", opts.manifest.baseUrl));
  const dir = opts.snapshotDir ?? join(root, "_fresh");
  const snapshot = await readSnapshot(dir);
  const islands = islandBundleInputs(opts.manifest);
  const sameIslands = snapshot &&
    JSON.stringify(Object.keys(snapshot.islands).sort()) ===
      JSON.stringify(Object.keys(islands).sort());
  if (snapshot && sameIslands && await hashInputs(root, snapshot.inputs) === snapshot.inputsHash) {
    opts.onInfo?.(`islands: using the prebuilt bundle in ${dir}`);
    return snapshot;
  }
  try {
    const started = performance.now();
    const bundle = await bundleIslands({ root, islands, basePath: "/_paiid/js" });
    opts.onInfo?.(
      `islands: bundled ${Object.keys(islands).length} with esbuild in ${
        Math.round(performance.now() - started)
      } ms`,
    );
    return bundle;
  } catch (err) {
    // On hosts that can't spawn esbuild (Deno Deploy) a slightly old snapshot beats no page.
    if (snapshot) {
      opts.onInfo?.(`islands: esbuild failed (${(err as Error).message}); serving the snapshot`);
      return snapshot;
    }
    throw err;
  }
}
