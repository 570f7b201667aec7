/**
 * The `NewsSource` seam: dated news items for symbols and a time range. Alpaca's News API
 * (contract §11 in api-contracts/alpaca.md) is the one real source; with no Alpaca keys there is
 * no source at all, and the News stage shows the events derived from prices instead (feed.ts).
 */
import { z } from "zod";
import type { Cache } from "../cache.ts";
import { AlpacaHttp, type AlpacaHttpOptions } from "../broker/alpaca/http.ts";

export interface NewsItem {
  id: string;
  headline: string;
  summary: string;
  author: string;
  /** RFC 3339. */
  createdAt: string;
  updatedAt: string;
  url: string | null;
  symbols: string[];
  /** Who published it (e.g. "benzinga"). */
  source: string;
  /** HTML body, only when asked for. */
  content?: string;
}

export interface NewsQuery {
  symbols?: string[];
  /** Inclusive, RFC 3339 or `YYYY-MM-DD`. */
  start?: string;
  end?: string;
  /** Newest first (the default) or oldest first. */
  sort?: "asc" | "desc";
  /** Most items wanted in all (pages are fetched until this many or the last page). */
  limit: number;
  includeContent?: boolean;
}

export interface NewsPage {
  items: NewsItem[];
  /** True when more items existed than `limit`. */
  truncated: boolean;
}

export interface NewsSource {
  readonly name: "alpaca";
  news(query: NewsQuery, signal?: AbortSignal): Promise<NewsPage>;
}

export const ALPACA_DATA_URL = "https://data.alpaca.markets";
/** The API's largest page. */
export const ALPACA_PAGE_SIZE = 50;
/** A bound on pages per query, so one request cannot walk the whole archive. */
export const MAX_PAGES = 10;

const articleSchema = z.object({
  id: z.number(),
  headline: z.string(),
  summary: z.string().nullish(),
  author: z.string().nullish(),
  created_at: z.string(),
  updated_at: z.string(),
  url: z.string().nullish(),
  content: z.string().nullish(),
  symbols: z.array(z.string()).nullish(),
  source: z.string().nullish(),
});

const pageSchema = z.object({
  news: z.array(articleSchema).nullish(),
  next_page_token: z.string().nullish(),
});

export class AlpacaNews implements NewsSource {
  readonly name = "alpaca";
  readonly #http: AlpacaHttp;

  constructor(
    opts: Omit<AlpacaHttpOptions, "baseUrl"> & { baseUrl?: string },
    readonly cache?: Cache,
  ) {
    this.#http = new AlpacaHttp({
      ...opts,
      baseUrl: opts.baseUrl ?? ALPACA_DATA_URL,
      seam: "alpaca_news",
    });
  }

  close(): void {
    this.#http.close();
  }

  /** Pages through `GET /v1beta1/news`; answers are cached with the news TTL. */
  async news(query: NewsQuery, signal?: AbortSignal): Promise<NewsPage> {
    if (!this.cache) return await this.#fetch(query, signal);
    const key = [
      "alpaca",
      (query.symbols ?? []).join(","),
      query.start ?? "",
      query.end ?? "",
      query.sort ?? "desc",
      query.limit,
      !!query.includeContent,
    ];
    return (await this.cache.get("news", key, () => this.#fetch(query, signal))).value;
  }

  async #fetch(query: NewsQuery, signal?: AbortSignal): Promise<NewsPage> {
    const items: NewsItem[] = [];
    let token: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const body = await this.#http.get("/v1beta1/news", pageSchema, {
        signal,
        query: {
          symbols: query.symbols?.length ? query.symbols.join(",") : undefined,
          start: query.start,
          end: query.end,
          sort: query.sort ?? "desc",
          limit: Math.min(ALPACA_PAGE_SIZE, query.limit - items.length),
          include_content: query.includeContent ? true : undefined,
          page_token: token,
        },
      });
      for (const a of body.news ?? []) items.push(toItem(a));
      token = body.next_page_token ?? undefined;
      if (!token || items.length >= query.limit) break;
    }
    return { items: items.slice(0, query.limit), truncated: !!token };
  }
}

function toItem(a: z.output<typeof articleSchema>): NewsItem {
  return {
    id: String(a.id),
    headline: a.headline,
    summary: a.summary ?? "",
    author: a.author ?? "",
    createdAt: a.created_at,
    updatedAt: a.updated_at,
    url: a.url || null,
    symbols: a.symbols ?? [],
    source: a.source ?? "",
    ...(a.content ? { content: a.content } : {}),
  };
}
