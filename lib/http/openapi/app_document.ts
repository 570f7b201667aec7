/**
 * The app's own OpenAPI document and docs page, built once per process from the routers listed
 * in fresh.gen.ts. The manifest is imported lazily: it imports the routes that serve this, so a
 * static import would be a cycle evaluated before the routers exist.
 */
import { VERSION } from "../../version.ts";
import { type OpenApiDocument, openApiDocument } from "./document.ts";
import { apiMounts } from "./mounts.ts";
import { renderDocsPage } from "./page.tsx";

export interface BuiltDocs {
  document: OpenApiDocument;
  html: string;
}

let built: Promise<BuiltDocs> | undefined;

export function appDocs(): Promise<BuiltDocs> {
  built ??= import("../../../fresh.gen.ts").then(({ default: manifest }) => {
    const document = openApiDocument(apiMounts(manifest), { version: VERSION });
    return { document, html: renderDocsPage(document) };
  }).catch((err) => {
    built = undefined;
    throw err;
  });
  return built;
}
