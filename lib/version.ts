import denoJson from "../deno.json" with { type: "json" };

/** The app's version, from deno.json: one place to bump it. */
export const VERSION: string = denoJson.version;
