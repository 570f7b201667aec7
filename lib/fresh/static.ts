/**
 * `static/` files, read once at start-up and served from memory with a strong ETag, so a
 * revalidation costs a 304 and no disk read. Kept for small assets (styles, icons, logo).
 */
import { extname, join, relative, sep } from "node:path";
import { sha256 } from "./hash.ts";

export interface StaticFile {
  contents: Uint8Array;
  gzip?: Uint8Array;
  type: string;
  etag: string;
}

const TYPES: Record<string, string> = {
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".webp": "image/webp",
  ".txt": "text/plain; charset=utf-8",
  ".woff2": "font/woff2",
  ".webmanifest": "application/manifest+json",
};
const COMPRESSIBLE = new Set([".css", ".js", ".json", ".svg", ".txt", ".webmanifest"]);

async function gzip(data: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([data as BlobPart]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

export async function loadStaticFiles(dir: string): Promise<Map<string, StaticFile>> {
  const files = new Map<string, StaticFile>();
  const walk = async (path: string) => {
    let entries: Deno.DirEntry[];
    try {
      entries = [];
      for await (const e of Deno.readDir(path)) entries.push(e);
    } catch (err) {
      if (err instanceof Deno.errors.NotFound) return;
      throw err;
    }
    for (const entry of entries) {
      const full = join(path, entry.name);
      if (entry.isDirectory) await walk(full);
      else if (entry.isFile) {
        const contents = await Deno.readFile(full);
        const ext = extname(entry.name).toLowerCase();
        const url = "/" + relative(dir, full).split(sep).join("/");
        files.set(url, {
          contents,
          gzip: COMPRESSIBLE.has(ext) && contents.length > 512 ? await gzip(contents) : undefined,
          type: TYPES[ext] ?? "application/octet-stream",
          etag: `"${(await sha256(contents)).slice(0, 32)}"`,
        });
      }
    }
  };
  await walk(dir);
  return files;
}

/** True when an `If-None-Match` header lists `etag` (or `*`). */
export function matchesEtag(header: string | null, etag: string): boolean {
  if (!header) return false;
  return header.split(",").some((t) => {
    const tag = t.trim().replace(/^W\//, "");
    return tag === etag || tag === "*";
  });
}

/** A 200 (gzip when accepted and available) or 304 response for one in-memory file. */
export function fileResponse(
  req: Request,
  file: { contents: Uint8Array; gzip?: Uint8Array; type: string; etag: string },
  cacheControl: string,
): Response {
  const headers = new Headers({
    "Content-Type": file.type,
    "ETag": file.etag,
    "Cache-Control": cacheControl,
    "Vary": "Accept-Encoding",
  });
  if (matchesEtag(req.headers.get("If-None-Match"), file.etag)) {
    return new Response(null, { status: 304, headers });
  }
  const acceptsGzip = /\bgzip\b/.test(req.headers.get("Accept-Encoding") ?? "");
  const body = acceptsGzip && file.gzip ? file.gzip : file.contents;
  if (acceptsGzip && file.gzip) headers.set("Content-Encoding", "gzip");
  headers.set("Content-Length", String(body.length));
  return new Response(req.method === "HEAD" ? null : body as BodyInit, { headers });
}
