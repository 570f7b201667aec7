/**
 * The shipped daily history in `data/market/`: the symbol list (`universe.csv`, read eagerly,
 * it is small) and one gzipped CSV per symbol, each parsed on first use and kept in memory.
 *
 * API symbols: the stocks by their ticker (`BRK.B`, also accepted as `BRK-B`), the S&P 500 as
 * `SPX` (file `GSPC`; `^GSPC`, `GSPC` and `$SPX` are accepted) and the CBOE VIX as `VIX`.
 *
 * @module
 */
import type { DailyBar } from "./intraday.ts";

/** The default location of the shipped data, relative to this module. */
export const DEFAULT_DATA_DIR = new URL("../../../data/market/", import.meta.url);

export interface SymbolInfo {
  /** The symbol the API uses. */
  symbol: string;
  name: string;
  type: "stock" | "index";
  sector: string | null;
  industry: string | null;
  /** File under the data directory. */
  file: string;
  firstDate: string;
  lastDate: string;
  /** False for VIX, whose history has no volume. */
  hasVolume: boolean;
}

/** One symbol's daily bars in columns; `row.get(date)` finds a day. */
export interface DailySeries {
  symbol: string;
  dates: string[];
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  /** Shares; NaN where the history has none (VIX). */
  volume: Float64Array;
  /** Split- and dividend-adjusted close (stocks only). */
  adjClose: Float64Array | null;
  row: Map<string, number>;
}

/** The day at `row` of a series, as the bar the intraday simulation starts from. */
export function barOf(s: DailySeries, row: number): DailyBar {
  return {
    date: s.dates[row],
    open: s.open[row],
    high: s.high[row],
    low: s.low[row],
    close: s.close[row],
    volume: s.volume[row],
  };
}

/** Splits one CSV line, honouring double-quoted fields (the universe's industry names). */
export function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') (field += '"', i++);
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") (out.push(field), field = "");
    else field += ch;
  }
  out.push(field);
  return out;
}

const INDEX_SYMBOLS: Record<string, string> = { "^GSPC": "SPX", "^VIX": "VIX" };
const ALIASES: Record<string, string> = {
  GSPC: "SPX",
  "$SPX": "SPX",
  "$VIX": "VIX",
  "^VIX": "VIX",
};

/** Upper-cases and maps accepted spellings onto the API symbol (`brk-b` → `BRK.B`). */
export function normalizeSymbol(input: string): string {
  const s = input.trim().toUpperCase();
  const alias = ALIASES[s] ?? INDEX_SYMBOLS[s];
  if (alias) return alias;
  return s.replace(/^([A-Z]{1,5})-([A-Z])$/, "$1.$2");
}

/** Parses a price CSV (`date,open,high,low,close[,volume[,adj_close]]`) into columns. */
export function parsePriceCsv(symbol: string, text: string): DailySeries {
  const lines = text.split("\n");
  const header = lines[0].trim().split(",");
  const col = (name: string) => header.indexOf(name);
  const [iO, iH, iL, iC, iV, iA] = ["open", "high", "low", "close", "volume", "adj_close"].map(
    col,
  );
  const body = lines.slice(1).filter((l) => l.length > 1);
  const n = body.length;
  const s: DailySeries = {
    symbol,
    dates: new Array(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
    adjClose: iA >= 0 ? new Float64Array(n) : null,
    row: new Map(),
  };
  for (let r = 0; r < n; r++) {
    const f = body[r].trim().split(",");
    s.dates[r] = f[0];
    s.open[r] = +f[iO];
    s.high[r] = +f[iH];
    s.low[r] = +f[iL];
    s.close[r] = +f[iC];
    s.volume[r] = iV >= 0 ? +f[iV] : NaN;
    if (s.adjClose) s.adjClose[r] = +f[iA];
    s.row.set(f[0], r);
  }
  return s;
}

/** Reads a gzip file into text with the platform's DecompressionStream. */
async function gunzipText(url: URL): Promise<string> {
  const bytes = await Deno.readFile(url);
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return await new Response(stream).text();
}

/** The symbol list plus lazily loaded, memoized daily series. */
export class History {
  readonly #dir: URL;
  readonly #symbols = new Map<string, SymbolInfo>();
  readonly #series = new Map<string, Promise<DailySeries>>();

  /** Reads `universe.csv` synchronously, so symbol checks never wait. */
  constructor(dataDir: URL = DEFAULT_DATA_DIR) {
    this.#dir = dataDir.href.endsWith("/") ? dataDir : new URL(dataDir.href + "/");
    const lines = Deno.readTextFileSync(new URL("universe.csv", this.#dir)).split("\n");
    const header = splitCsvLine(lines[0].trim());
    for (const line of lines.slice(1)) {
      if (!line.trim()) continue;
      const f = splitCsvLine(line.trim());
      const get = (name: string) => f[header.indexOf(name)] ?? "";
      const isIndex = get("asset_type") === "index";
      const symbol = INDEX_SYMBOLS[get("ticker")] ?? get("ticker");
      this.#symbols.set(symbol, {
        symbol,
        name: get("name"),
        type: isIndex ? "index" : "stock",
        sector: get("sector") || null,
        industry: get("gics_sub_industry") || null,
        // universe.csv names the uncompressed source file; the shipped copy is gzipped.
        file: get("file").replace(/^prices\//, "") + ".gz",
        firstDate: get("first_date"),
        lastDate: get("last_date"),
        hasVolume: symbol !== "VIX",
      });
    }
  }

  /** Every shipped symbol. */
  list(): SymbolInfo[] {
    return [...this.#symbols.values()];
  }

  /** The symbol's entry after normalization, or undefined when nothing is shipped for it. */
  resolve(symbol: string): SymbolInfo | undefined {
    return this.#symbols.get(normalizeSymbol(symbol));
  }

  /** The symbol's daily series (parsed once; concurrent callers share the load). */
  series(symbol: string): Promise<DailySeries> {
    const info = this.resolve(symbol);
    if (!info) return Promise.reject(new Error(`no shipped history for ${symbol}`));
    let p = this.#series.get(info.symbol);
    if (!p) {
      p = gunzipText(new URL(info.file, this.#dir)).then((t) => parsePriceCsv(info.symbol, t));
      // A failed read is not cached, so a later call can retry.
      p.catch(() => this.#series.delete(info.symbol));
      this.#series.set(info.symbol, p);
    }
    return p;
  }

  /** The exchange calendar: every trading day in the data (the S&P 500's dates). */
  async tradingDays(): Promise<string[]> {
    return (await this.series("SPX")).dates;
  }
}
