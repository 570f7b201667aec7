/**
 * The browser boundary, read from what esbuild would ship: bundles the given entry modules with
 * the islands' build settings (lib/fresh/bundle.ts) and walks the import graph in its metafile.
 * Type-only imports are erased by then, so only value imports count. Packages are kept external
 * and named by their specifier: the check needs to know which package is asked for, not its
 * insides.
 */
import { relative } from "node:path";
import { BROWSER_BUILD } from "../lib/fresh/bundle.ts";

export interface BoundaryRules {
  /** Folders (relative to the root, ending in `/`) whose modules may ship to the browser. */
  folders: readonly string[];
  /** Packages (`preact`, `@preact/signals`) those modules may import; subpaths included. */
  packages: readonly string[];
}

/** A value import that crosses the boundary. */
export interface Crossing {
  /** The entry module it ships with. */
  entry: string;
  /** Entry first, then each module that imports the next: the last one imports `module`. */
  chain: string[];
  /** The module or package outside the boundary. */
  module: string;
}

type Graph = Record<string, { path: string; external: boolean }[]>;

/** The value-import graph of `entries` (paths relative to `root`), keyed by module. */
export async function browserImportGraph(root: string, entries: string[]): Promise<Graph> {
  const esbuild = await import("esbuild");
  try {
    const result = await esbuild.build({
      ...BROWSER_BUILD,
      entryPoints: entries.map((e) => `${root}/${e}`),
      write: false,
      metafile: true,
      outdir: "/_out",
      absWorkingDir: root,
      logLevel: "silent",
      plugins: [{
        name: "packages-external",
        setup(build) {
          // Bare specifiers (`preact/hooks`, `zod`, `node:fs`, `$fresh/…`) are packages or
          // aliases: record them by name without reading them.
          build.onResolve({ filter: /^[^./]/ }, (args) => ({ path: args.path, external: true }));
        },
      }],
    });
    const graph: Graph = {};
    for (const [path, input] of Object.entries(result.metafile.inputs)) {
      const key = path.startsWith("/") ? relative(root, path) : path;
      graph[key] = input.imports.map((i) => ({
        path: i.external || !i.path.startsWith("/") ? i.path : relative(root, i.path),
        external: i.external === true,
      }));
    }
    return graph;
  } finally {
    await esbuild.stop();
  }
}

function packageName(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

/** Every crossing reachable from `entries`, the shortest chain to each, in a stable order. */
export function findCrossings(graph: Graph, entries: string[], rules: BoundaryRules): Crossing[] {
  const found: Crossing[] = [];
  const allowedModule = (p: string) => rules.folders.some((f) => p.startsWith(f));
  for (const entry of entries) {
    const parent = new Map<string, string | null>([[entry, null]]);
    const queue = [entry];
    const chainTo = (m: string) => {
      const chain: string[] = [];
      for (let at: string | null = m; at !== null; at = parent.get(at) ?? null) chain.unshift(at);
      return chain;
    };
    const seen = new Set<string>();
    while (queue.length) {
      const from = queue.shift()!;
      for (const imp of graph[from] ?? []) {
        const ok = imp.external
          ? rules.packages.includes(packageName(imp.path))
          : allowedModule(imp.path);
        if (!ok) {
          const key = `${from}\0${imp.path}`;
          if (!seen.has(key)) {
            seen.add(key);
            found.push({ entry, chain: chainTo(from), module: imp.path });
          }
        } else if (!imp.external && !parent.has(imp.path)) {
          parent.set(imp.path, from);
          queue.push(imp.path);
        }
      }
    }
  }
  return found;
}

/** One line per crossing: the entry, then the chain of imports down to the module. */
export function describeCrossing(c: Crossing): string {
  return `${c.entry} ships ${c.module}, outside the browser boundary: ` +
    `${[...c.chain, c.module].join(" → ")}`;
}
