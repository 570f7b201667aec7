import type { FreshConfig } from "./lib/fresh/types.ts";

export default {
  staticDir: "static",
  snapshotDir: "_fresh",
} satisfies FreshConfig;
