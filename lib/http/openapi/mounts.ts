/** The API routers of a manifest and where they are mounted, as `lib/fresh/app.ts` mounts them. */
import { buildRouteTable } from "../../fresh/routes.ts";
import type { Manifest } from "../../fresh/types.ts";
import type { ApiMount } from "./document.ts";

export function apiMounts(manifest: Manifest): ApiMount[] {
  return buildRouteTable(manifest).apis.map((api) => ({
    file: api.file,
    prefix: api.pattern,
    router: api.module.default as object,
  }));
}
