/**
 * The cache in front of every market-data source: each read goes through `Cache.get` (Deno KV,
 * TTL per kind, one upstream call per key at a time, stale-on-error).
 *
 * Staleness is reported on the result itself (`stale: true`, see `Freshness` in types.ts)
 * rather than in an envelope, so the wrapper is still a `MarketData` and callers need not know
 * whether a cache sits in front. Fresh results carry no `stale` field.
 *
 * Kinds (TTLs in `CACHE_TTL_MS`, lib/cache.ts): quotes, clock and time-and-sales → `quote` (5 s);
 * option chains, expirations and intraday bars → `chain` (60 s; an intraday chart is not
 * "historical"); daily/weekly/monthly bars and the calendar → `bars` (1 h); company info and symbol
 * search → `company` (24 h). The stream is live and passes straight through. A read the cache
 * sends upstream runs in a `market.<read>` span (lib/trace/span.ts); hits make none.
 *
 * @module
 */
import type { Cache, CacheKind, GetOptions } from "../cache.ts";
import { inSpan } from "../trace/span.ts";
import type {
  Bars,
  BarsQuery,
  CompanyInfo,
  Freshness,
  MarketCalendar,
  MarketClock,
  MarketData,
  MarketSource,
  OptionChain,
  OptionExpirations,
  Quote,
  QuoteStream,
  SymbolSearch,
  TimeSales,
} from "./types.ts";

type TimeSalesOptions = NonNullable<Parameters<MarketData["timeSales"]>[1]>;

/** A read the cache could not answer, as a span: hits cost nothing, misses show their source. */
function upstreamSpan<T>(op: string, kind: CacheKind, source: string, fetch: () => Promise<T>) {
  return inSpan(`market.${op}`, { "paiid.cache.kind": kind, "paiid.market.source": source }, fetch);
}

/**
 * How long a time & sales entry is kept past its 5 s TTL as an error fallback. Short, because
 * each window is its own (often megabyte-sized) entry and few are read twice.
 */
export const TIME_SALES_STALE_FOR_MS = 10 * 60_000;

/**
 * `YYYY-MM-DD HH:MM` for a `YYYY-MM-DD[ HH:MM]` bound (a bare date gets `dayTime`); anything
 * else (an ISO instant) is passed on trimmed.
 */
export function canonicalBound(value: string | undefined, dayTime: string): string | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  const m = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}))?$/.exec(v);
  return m ? `${m[1]} ${m[2] ?? dayTime}` : v;
}

/** Wraps `upstream` so every read is served from `cache`. */
export class CachedMarketData implements MarketData {
  readonly source: MarketSource;
  readonly #upstream: MarketData;
  readonly #cache: Cache;
  readonly #provider: string;

  /**
   * `provider` goes first in every cache key: it must change whenever the same call could
   * answer differently (another Tradier account or URL, another replay start), e.g.
   * `"replay:2020-01-02:1"`. Defaults to the upstream's `source`.
   */
  constructor(upstream: MarketData, cache: Cache, provider: string = upstream.source) {
    this.source = upstream.source;
    this.#upstream = upstream;
    this.#cache = cache;
    this.#provider = provider;
  }

  /** The source behind the cache (for health probes that must bypass it). */
  get upstream(): MarketData {
    return this.#upstream;
  }

  async #get<T extends Freshness>(
    kind: CacheKind,
    key: Deno.KvKey,
    fetch: () => Promise<T>,
    options?: GetOptions,
  ): Promise<T> {
    const op = String(key[0]);
    const got = await this.#cache.get(
      kind,
      [this.#provider, ...key],
      () => upstreamSpan(op, kind, this.source, fetch),
      options,
    );
    // The cached value is shared by coalesced callers: copy before marking it.
    return got.stale ? { ...got.value, stale: true } : got.value;
  }

  async quotes(symbols: string[]): Promise<Quote[]> {
    if (symbols.length === 0) return [];
    const got = await this.#cache.get(
      "quote",
      [this.#provider, "quotes", ...symbols],
      () => upstreamSpan("quotes", "quote", this.source, () => this.#upstream.quotes(symbols)),
    );
    return got.stale ? got.value.map((q) => ({ ...q, stale: true })) : got.value;
  }

  bars(symbol: string, query: BarsQuery): Promise<Bars> {
    const intraday = query.interval.endsWith("min");
    return this.#get(
      intraday ? "chain" : "bars",
      ["bars", symbol, query.interval, query.start ?? "", query.end ?? ""],
      () => this.#upstream.bars(symbol, query),
    );
  }

  timeSales(symbol: string, opts: TimeSalesOptions = {}): Promise<TimeSales> {
    // Spellings of the same window share one entry (and one upstream call).
    const query: TimeSalesOptions = {
      interval: opts.interval,
      start: canonicalBound(opts.start, "00:00"),
      end: canonicalBound(opts.end, "23:59"),
    };
    return this.#get(
      "quote",
      ["timesales", symbol, query.interval ?? "", query.start ?? "", query.end ?? ""],
      () => this.#upstream.timeSales(symbol, query),
      { staleForMs: TIME_SALES_STALE_FOR_MS },
    );
  }

  clock(): Promise<MarketClock> {
    return this.#get("quote", ["clock"], () => this.#upstream.clock());
  }

  calendar(month?: number, year?: number): Promise<MarketCalendar> {
    return this.#get(
      "bars",
      ["calendar", month ?? "", year ?? ""],
      () => this.#upstream.calendar(month, year),
    );
  }

  search(query: string): Promise<SymbolSearch> {
    return this.#get("company", ["search", query], () => this.#upstream.search(query));
  }

  company(symbol: string): Promise<CompanyInfo> {
    return this.#get("company", ["company", symbol], () => this.#upstream.company(symbol));
  }

  expirations(symbol: string): Promise<OptionExpirations> {
    return this.#get(
      "chain",
      ["expirations", symbol],
      () => this.#upstream.expirations(symbol),
    );
  }

  chain(symbol: string, expiration: string): Promise<OptionChain> {
    return this.#get(
      "chain",
      ["chain", symbol, expiration],
      () => this.#upstream.chain(symbol, expiration),
    );
  }

  stream(symbols: string[], signal?: AbortSignal): QuoteStream {
    return this.#upstream.stream(symbols, signal);
  }

  close(): Promise<void> {
    return this.#upstream.close();
  }
}
