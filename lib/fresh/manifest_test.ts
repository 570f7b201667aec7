import { equal, match } from "node:assert/strict";
import { join } from "node:path";
import { generateManifest, writeManifest } from "./manifest.ts";

async function project(files: string[]): Promise<string> {
  const dir = await Deno.makeTempDir();
  for (const file of files) {
    await Deno.mkdir(join(dir, file, ".."), { recursive: true });
    await Deno.writeTextFile(join(dir, file), "export default () => null;\n");
  }
  return dir;
}

Deno.test("the manifest imports every route and island, sorted, skipping tests", async () => {
  const dir = await project([
    "routes/index.tsx",
    "routes/api/health.ts",
    "routes/symbol/[symbol].tsx",
    "routes/index_test.tsx",
    "islands/RadialMenu.tsx",
    "islands/RadialMenu_test.tsx",
  ]);
  try {
    const text = await generateManifest(dir);
    match(text, /import \* as \$api_health from "\.\/routes\/api\/health\.ts";/);
    match(text, /import \* as \$symbol__symbol_ from "\.\/routes\/symbol\/\[symbol\]\.tsx";/);
    match(text, /import \* as \$island_RadialMenu from "\.\/islands\/RadialMenu\.tsx";/);
    equal(text.includes("_test"), false);
    const order = [...text.matchAll(/^ {4}"(.+?)":/gm)].map((m) => m[1]);
    equal(
      order.join(" "),
      "./routes/api/health.ts ./routes/index.tsx ./routes/symbol/[symbol].tsx ./islands/RadialMenu.tsx",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writeManifest writes only when something changed", async () => {
  const dir = await project(["routes/index.tsx"]);
  try {
    equal(await writeManifest(dir), true);
    equal(await writeManifest(dir), false);
    await Deno.writeTextFile(join(dir, "routes/about.tsx"), "export default () => null;\n");
    equal(await writeManifest(dir), true);
    match(await Deno.readTextFile(join(dir, "fresh.gen.ts")), /routes\/about\.tsx/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the committed fresh.gen.ts matches routes/ and islands/", async () => {
  const root = new URL("../../", import.meta.url).pathname;
  equal(await Deno.readTextFile(join(root, "fresh.gen.ts")), await generateManifest(root));
});
