/**
 * A fake of Alpaca's News API (`GET /v1beta1/news`, api-contracts/alpaca.md §11) on 127.0.0.1:
 * key headers required, symbol and time filters, `sort` (newest first by default), `limit` 1-50
 * and opaque page tokens; `failNext` answers the next requests with an error status.
 */
export interface FakeArticle {
  id: number;
  headline: string;
  summary: string;
  created_at: string;
  symbols: string[];
}

export interface FakeAlpacaNews {
  url: string;
  requests: URL[];
  failNext(status: number, times?: number): void;
  close(): Promise<void>;
}

export const FAKE_KEY = { keyId: "PKFAKE", secretKey: "fake-secret" };

export function startFakeAlpacaNews(articles: FakeArticle[]): FakeAlpacaNews {
  const requests: URL[] = [];
  const failures: number[] = [];
  const sorted = [...articles].sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at));
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (req) => {
    const url = new URL(req.url);
    requests.push(url);
    const json = (status: number, body: unknown) => Response.json(body, { status });
    if (failures.length) {
      const status = failures.shift()!;
      return json(status, { code: status * 100, message: `fake failure ${status}` });
    }
    if (url.pathname !== "/v1beta1/news") return json(404, { message: "not found" });
    if (
      req.headers.get("APCA-API-KEY-ID") !== FAKE_KEY.keyId ||
      req.headers.get("APCA-API-SECRET-KEY") !== FAKE_KEY.secretKey
    ) return json(401, { code: 40110000, message: "request is not authorized" });
    const limit = Number(url.searchParams.get("limit") ?? 10);
    if (!Number.isInteger(limit) || limit < 1 || limit > 50) {
      return json(400, { code: 40010001, message: "invalid limit" });
    }
    const symbols = url.searchParams.get("symbols")?.split(",") ?? null;
    const sort = url.searchParams.get("sort") ?? "desc";
    if (sort !== "asc" && sort !== "desc") {
      return json(400, { code: 40010001, message: "invalid sort" });
    }
    // Times compare as instants (RFC 3339 with any offset or precision); a bare date is that
    // whole UTC day, both ends inclusive.
    const start = bound(url.searchParams.get("start"), "start");
    const end = bound(url.searchParams.get("end"), "end");
    if (Number.isNaN(start) || Number.isNaN(end)) {
      return json(400, { code: 40010001, message: "invalid start or end" });
    }
    const matching = sorted.filter((a) => {
      const t = Date.parse(a.created_at);
      return (!symbols || a.symbols.some((s) => symbols.includes(s))) &&
        (start === null || t >= start) && (end === null || t <= end);
    });
    if (sort === "asc") matching.reverse();
    const token = url.searchParams.get("page_token");
    const offset = token ? Number(atob(token)) : 0;
    const page = matching.slice(offset, offset + limit);
    const next = offset + limit < matching.length ? btoa(String(offset + limit)) : null;
    return json(200, {
      news: page.map((a) => ({
        ...a,
        author: "Fake Newsdesk",
        updated_at: a.created_at,
        url: `https://example.test/news/${a.id}`,
        content: "",
        images: [],
        source: "benzinga",
      })),
      next_page_token: next,
    });
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    requests,
    failNext(status, times = 1) {
      for (let i = 0; i < times; i++) failures.push(status);
    },
    close: () => server.shutdown(),
  };
}

/** A `start`/`end` parameter as epoch ms: null when absent, NaN when malformed. */
function bound(value: string | null, which: "start" | "end"): number | null {
  if (value === null) return null;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const day = Date.parse(`${value}T00:00:00Z`);
    return which === "start" ? day : day + 86_400_000 - 1;
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/.test(value)) {
    return NaN;
  }
  return Date.parse(value);
}
