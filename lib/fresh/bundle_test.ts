import { deepEqual, equal, match, notEqual, ok } from "node:assert/strict";
import { join } from "node:path";
import { bundleIslands, hashInputs, readSnapshot, writeSnapshot } from "./bundle.ts";

const root = new URL("../../", import.meta.url).pathname;
const island = (name: string) =>
  new URL(`./testdata/islands/${name}.tsx`, import.meta.url).pathname;

Deno.test("islands bundle into content-hashed ES modules with Preact split into a shared chunk", async () => {
  const bundle = await bundleIslands({
    root,
    islands: { Counter: island("Counter"), Greeting: island("Greeting") },
    basePath: "/_paiid/js",
  });
  match(bundle.boot, /^\/_paiid\/js\/boot-[A-Z0-9]+\.js$/);
  match(bundle.islands.Counter, /^\/_paiid\/js\/Counter-[A-Z0-9]+\.js$/);
  match(bundle.islands.Greeting, /^\/_paiid\/js\/Greeting-[A-Z0-9]+\.js$/);
  const chunks = [...bundle.files.keys()].filter((u) => /\/chunk-/.test(u));
  ok(chunks.length >= 1, "Preact should live in a shared chunk");
  // The boot script and each island import the shared chunk rather than carrying Preact.
  for (const url of [bundle.boot, bundle.islands.Counter]) {
    ok(bundle.preloads[url].some((dep) => chunks.includes(dep)), `${url} imports a shared chunk`);
  }
  for (const [url, file] of bundle.files) {
    ok(file.gzip.length > 0 && file.gzip.length < file.contents.length + 32, url);
    match(file.etag, /^"[0-9a-f]{32}"$/);
  }
  const boot = new TextDecoder().decode(bundle.files.get(bundle.boot)!.contents);
  match(boot, /__paiid_islands/);
  deepEqual(bundle.inputs.filter((p) => p.includes("testdata")), [
    "lib/fresh/testdata/islands/Counter.tsx",
    "lib/fresh/testdata/islands/Greeting.tsx",
  ]);
});

Deno.test("a snapshot round-trips through disk and knows when its sources changed", async () => {
  const dir = await Deno.makeTempDir();
  try {
    // A private copy of the island, so editing it cannot disturb other tests.
    const src = join(dir, "src");
    await Deno.mkdir(src);
    const path = join(src, "Greeting.tsx");
    await Deno.copyFile(island("Greeting"), path);
    const bundle = await bundleIslands({ root, islands: { Greeting: path }, basePath: "/js" });
    await writeSnapshot(bundle, join(dir, "_fresh"));
    const read = await readSnapshot(join(dir, "_fresh"));
    ok(read);
    equal(read.boot, bundle.boot);
    deepEqual(read.islands, bundle.islands);
    deepEqual([...read.files.keys()].sort(), [...bundle.files.keys()].sort());
    for (const [url, file] of bundle.files) deepEqual(read.files.get(url)!.contents, file.contents);

    equal(await hashInputs(root, read.inputs), read.inputsHash);
    await Deno.writeTextFile(path, (await Deno.readTextFile(path)).replace("hello", "hi"));
    notEqual(await hashInputs(root, read.inputs), read.inputsHash);
    equal(await readSnapshot(join(dir, "missing")), null);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a dynamic import gets its own chunk, which no entry preloads", async () => {
  const bundle = await bundleIslands({
    root,
    islands: { Lazy: island("Lazy") },
    basePath: "/_paiid/js",
  });
  const text = (url: string) => new TextDecoder().decode(bundle.files.get(url)!.contents);
  const heavy = [...bundle.files.keys()].filter((u) => text(u).includes("heavy-library-body"));
  equal(heavy.length, 1, "the lazily imported module lives in one file");
  ok(heavy[0] !== bundle.islands.Lazy, "not inside the island's own module");
  for (const [entry, deps] of Object.entries(bundle.preloads)) {
    ok(!deps.includes(heavy[0]), `${entry} must not preload the lazy chunk`);
  }
  match(text(bundle.islands.Lazy), /import\("\.\/chunk-[A-Z0-9]+\.js"\)/);
});

Deno.test("a branch for the server only is cut from the browser build, with what it imports", async () => {
  const { default: Kept } = await import("./testdata/islands/Kept.tsx");
  const { FIGURE_MARKER } = await import("./testdata/server_only/Figure.tsx");
  const { renderToString } = await import("preact-render-to-string");
  const { h } = await import("preact");
  // The server renders the figure...
  match(renderToString(h(Kept, {})), new RegExp(`<g><path d="${FIGURE_MARKER}"></path></g>`));
  // ...and the browser's module neither carries it nor imports it from another chunk.
  const bundle = await bundleIslands({ root, islands: { Kept: island("Kept") }, basePath: "/js" });
  const texts = [...bundle.files.values()].map((f) => new TextDecoder().decode(f.contents));
  ok(texts.length >= 2, "the boot script, the island and Preact's chunk");
  for (const text of texts) ok(!text.includes(FIGURE_MARKER), "no server-only markup shipped");
  match(new TextDecoder().decode(bundle.files.get(bundle.islands.Kept)!.contents), /__html:""/);
});
