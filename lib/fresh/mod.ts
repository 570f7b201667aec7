/** The framework's public surface: route and island types, and the functions main.ts uses. */
export type * from "./types.ts";
export { type FreshEnv, type FreshPages, mountFresh } from "./app.ts";
export { type Bundle, bundleIslands, readSnapshot, writeSnapshot } from "./bundle.ts";
export { loadStaticFiles } from "./static.ts";
export { islandBundleInputs, loadBundle } from "./load.ts";
