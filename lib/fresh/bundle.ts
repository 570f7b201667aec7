/**
 * Bundles the boot script and every island with esbuild: ES modules, code splitting (Preact and
 * shared code land in common chunks), content-hashed file names. The output is kept in memory
 * and, through `deno task build`, in `_fresh/` for hosts that can't run esbuild (Deno Deploy).
 */
import { basename, join, relative } from "node:path";
import type { BuildOptions } from "esbuild";
import { sha256 } from "./hash.ts";

export interface BundleFile {
  contents: Uint8Array;
  gzip: Uint8Array;
  etag: string;
}

export interface Bundle {
  /** URL of the boot script. */
  boot: string;
  /** Island name → URL of its entry module. */
  islands: Record<string, string>;
  /** Entry URL → URLs it imports statically (transitively), for `<link rel="modulepreload">`. */
  preloads: Record<string, string[]>;
  /** URL path → file. */
  files: Map<string, BundleFile>;
  /** Hash of every local source file the bundle was built from; tells whether it is stale. */
  inputsHash: string;
  /** Local source files (relative to root) the bundle was built from. */
  inputs: string[];
}

export interface BundleOptions {
  root: string;
  /** Island name → absolute file path. */
  islands: Record<string, string>;
  /** URL prefix the files are served under. */
  basePath: string;
  minify?: boolean;
}

const BOOT = "boot";

/**
 * How browser code is built: the islands here, and the browser-boundary check
 * (tests/browser_boundary_test.ts), which must see the same module graph that ships.
 */
export const BROWSER_BUILD = {
  bundle: true,
  format: "esm",
  platform: "browser",
  target: ["es2022"],
  jsx: "automatic",
  jsxImportSource: "preact",
  // A build-time constant (lib/client/browser_build.ts): branches for the server only are cut.
  define: { "globalThis.PAIID_BROWSER_BUILD": "true" },
} satisfies BuildOptions;

async function gzip(data: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([data as BlobPart]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Hash of the listed files' contents, plus deno.json (it pins the npm versions bundled in). */
export async function hashInputs(root: string, inputs: string[]): Promise<string> {
  const parts: string[] = [];
  for (const file of [...inputs, "deno.json"].sort()) {
    let text = "";
    try {
      text = await Deno.readTextFile(join(root, file));
    } catch {
      text = "<missing>";
    }
    parts.push(file, await sha256(text));
  }
  return await sha256(parts.join("\n"));
}

export async function bundleIslands(opts: BundleOptions): Promise<Bundle> {
  const esbuild = await import("esbuild");
  const entryPoints: Record<string, string> = {
    [BOOT]: new URL("./boot.ts", import.meta.url).pathname,
  };
  for (const [name, path] of Object.entries(opts.islands)) {
    if (name === BOOT) throw new Error(`An island may not be called "${BOOT}".`);
    entryPoints[name] = path;
  }
  try {
    const result = await esbuild.build({
      ...BROWSER_BUILD,
      entryPoints,
      splitting: true,
      minify: opts.minify ?? true,
      write: false,
      metafile: true,
      outdir: "/_out",
      entryNames: "[name]-[hash]",
      chunkNames: "chunk-[hash]",
      absWorkingDir: opts.root,
      nodePaths: [join(opts.root, "node_modules")],
      logLevel: "silent",
      legalComments: "none",
    });

    const files = new Map<string, BundleFile>();
    for (const out of result.outputFiles) {
      const url = `${opts.basePath}/${basename(out.path)}`;
      files.set(url, {
        contents: out.contents,
        gzip: await gzip(out.contents),
        etag: `"${(await sha256(out.contents)).slice(0, 32)}"`,
      });
    }

    const outputs = result.metafile.outputs;
    const urlOf = (outPath: string) => `${opts.basePath}/${basename(outPath)}`;
    const entryUrl: Record<string, string> = {};
    const preloads: Record<string, string[]> = {};
    for (const [outPath, meta] of Object.entries(outputs)) {
      const entryPoint = meta.entryPoint;
      if (!entryPoint) continue;
      const name = Object.entries(entryPoints).find(([, p]) =>
        relative(opts.root, p) === entryPoint || p === entryPoint ||
        join(opts.root, entryPoint) === p
      )?.[0];
      if (!name) continue;
      entryUrl[name] = urlOf(outPath);
      const seen = new Set<string>();
      const visit = (path: string) => {
        for (const imp of outputs[path]?.imports ?? []) {
          if (imp.kind !== "import-statement" || seen.has(imp.path)) continue;
          seen.add(imp.path);
          visit(imp.path);
        }
      };
      visit(outPath);
      preloads[urlOf(outPath)] = [...seen].map(urlOf);
    }
    if (!entryUrl[BOOT]) throw new Error("esbuild produced no boot script.");

    const inputs = Object.keys(result.metafile.inputs).filter((p) => !p.includes("node_modules"))
      .map((p) => p.startsWith("/") ? relative(opts.root, p) : p).sort();
    const islands: Record<string, string> = {};
    for (const name of Object.keys(opts.islands)) {
      if (!entryUrl[name]) throw new Error(`esbuild produced no module for island ${name}.`);
      islands[name] = entryUrl[name];
    }
    return {
      boot: entryUrl[BOOT],
      islands,
      preloads,
      files,
      inputs,
      inputsHash: await hashInputs(opts.root, inputs),
    };
  } finally {
    // esbuild keeps a child process; stop it so the process (and each test) can end cleanly.
    await esbuild.stop();
  }
}

interface SnapshotJson {
  boot: string;
  islands: Record<string, string>;
  preloads: Record<string, string[]>;
  inputs: string[];
  inputsHash: string;
  files: { url: string; name: string; etag: string }[];
}

/** Writes the bundle to `dir` (`_fresh/`), for hosts that serve without building. */
export async function writeSnapshot(bundle: Bundle, dir: string): Promise<void> {
  await Deno.remove(dir, { recursive: true }).catch(() => {});
  await Deno.mkdir(dir, { recursive: true });
  const files: SnapshotJson["files"] = [];
  for (const [url, file] of bundle.files) {
    const name = basename(url);
    await Deno.writeFile(join(dir, name), file.contents);
    files.push({ url, name, etag: file.etag });
  }
  const json: SnapshotJson = {
    boot: bundle.boot,
    islands: bundle.islands,
    preloads: bundle.preloads,
    inputs: bundle.inputs,
    inputsHash: bundle.inputsHash,
    files,
  };
  await Deno.writeTextFile(join(dir, "snapshot.json"), JSON.stringify(json, null, 2));
}

/** Reads a snapshot written by `deno task build`; null when there is none. */
export async function readSnapshot(dir: string): Promise<Bundle | null> {
  let json: SnapshotJson;
  try {
    json = JSON.parse(await Deno.readTextFile(join(dir, "snapshot.json")));
  } catch {
    return null;
  }
  const files = new Map<string, BundleFile>();
  for (const f of json.files) {
    const contents = await Deno.readFile(join(dir, f.name));
    files.set(f.url, { contents, gzip: await gzip(contents), etag: f.etag });
  }
  return { ...json, files };
}
