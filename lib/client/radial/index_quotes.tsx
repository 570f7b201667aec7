/**
 * The radial menu's centre: the market's state and the index quotes, live from the quote stream,
 * with the replay label when the replay serves them.
 */
import { useEffect, useState } from "preact/hooks";
import type { MarketClock } from "../../market/types.ts";
import { INDICES, STATUS_LABEL, STATUS_SHORT } from "../../shared/market_status.ts";
import { direction, formatChangePercent, formatPrice } from "../../shared/format.ts";
import { useLiveQuotes } from "../quote_hub.ts";
import type { LiveQuote } from "../quote_stream.ts";
import { SvgReplayLabel } from "../../../components/SvgReplayLabel.tsx";

/** Market clock and index quotes the server already had, shown before the stream starts. */
export interface IndexQuotesSeed {
  clock: MarketClock | null;
  quotes: LiveQuote[];
}

/** How often the market's state is asked again; it changes a few times a day. */
const CLOCK_REFRESH_MS = 60_000;

/** Geometry of the quote block per wheel size (viewBox units; the compact wheel is drawn small). */
const SLOT = {
  full: { pillY: -24, pillH: 16, label: 8.5, value: 12, firstRow: 2, rowGap: 24, note: 9 },
  compact: { pillY: -50, pillH: 20, label: 11, value: 14.5, firstRow: -17, rowGap: 31, note: 11 },
};

/**
 * Market status pill and one row per index (value and change %), live from the quote stream.
 * Which indices depends on the source: the clock says whether it is Tradier or the replay.
 */
export default function IndexQuotes(
  { full, initial }: { full: boolean; initial?: IndexQuotesSeed },
) {
  const [clock, setClock] = useState<MarketClock | null>(initial?.clock ?? null);
  const [failed, setFailed] = useState(false);
  const indices = clock ? INDICES[clock.source] : [];
  const seed: Record<string, LiveQuote | null> = {};
  for (const q of initial?.quotes ?? []) seed[q.symbol] = q;
  const quotes = useLiveQuotes(indices.map((i) => i.symbol), seed);
  const [fetched, setFetched] = useState<Record<string, LiveQuote>>({});

  useEffect(() => {
    let stop = false;
    const load = () =>
      fetch("/api/market/clock").then(async (res) => {
        if (!res.ok) throw new Error(String(res.status));
        if (!stop) setClock(await res.json() as MarketClock);
      }).catch(() => !stop && setFailed(true));
    load();
    const timer = setInterval(load, CLOCK_REFRESH_MS);
    return () => {
      stop = true;
      clearInterval(timer);
    };
  }, []);

  const symbols = indices.map((i) => i.symbol).join(",");
  useEffect(() => {
    // The stream sends quotes as they change; outside market hours that may be never.
    if (!symbols) return;
    const ctl = new AbortController();
    fetch(`/api/market/quotes?symbols=${encodeURIComponent(symbols)}`, { signal: ctl.signal })
      .then((res) => (res.ok ? res.json() : null))
      .then((body: LiveQuote[] | { quotes: LiveQuote[] } | null) => {
        const list = Array.isArray(body) ? body : body?.quotes ?? [];
        setFetched(Object.fromEntries(list.map((q) => [q.symbol, q])));
      })
      .catch(() => {});
    return () => ctl.abort();
  }, [symbols]);

  const g = full ? SLOT.full : SLOT.compact;
  const statusText = clock ? (full ? STATUS_LABEL : STATUS_SHORT)[clock.state] : null;
  const pillW = full ? 112 : 104;
  const replay = clock?.source === "replay";
  return (
    <g data-testid="index-quotes" role="group" aria-label="Index quotes">
      {statusText && clock && (
        <g class={`centre-pill centre-pill--${clock.state}`} data-testid="market-status">
          <rect x={-pillW / 2} y={g.pillY} width={pillW} height={g.pillH} rx={g.pillH / 2} />
          <circle
            class="centre-pill-dot"
            cx={-pillW / 2 + g.pillH / 2 + 2}
            cy={g.pillY + g.pillH / 2}
            r={2.8}
          />
          <text class="centre-pill-text" y={g.pillY + g.pillH * 0.68} font-size={g.note} x={5}>
            {statusText.toUpperCase()}
          </text>
        </g>
      )}
      {!clock && (
        <text class="centre-note" y={full ? 10 : -10} font-size={g.note + 1}>
          <tspan x="0">{failed ? "Market data" : "Loading"}</tspan>
          <tspan x="0" dy="1.3em">{failed ? "unavailable" : "index quotes…"}</tspan>
        </text>
      )}
      {indices.map((index, i) => {
        const q = quotes[index.symbol] ?? fetched[index.symbol] ?? null;
        const y = g.firstRow + i * g.rowGap + (indices.length === 2 ? g.rowGap / 3 : 0);
        const dir = direction(q?.changePercent);
        return (
          <text
            key={index.symbol}
            class="centre-quote"
            data-testid={`index-${index.symbol}`}
            aria-label={q
              ? `${index.label} ${formatPrice(q.last)}, ${formatChangePercent(q.changePercent)}`
              : `${index.label}: no quote yet`}
          >
            <tspan class="centre-quote-label" x="0" y={y} font-size={g.label}>
              {index.label.toUpperCase()}
            </tspan>
            <tspan class="centre-quote-value" x="0" y={y + g.value + 1} font-size={g.value}>
              {q ? formatPrice(q.last) : "…"}
              <tspan class={`centre-quote-change centre-quote-change--${dir}`} dx="5">
                {q ? formatChangePercent(q.changePercent) : ""}
              </tspan>
            </tspan>
          </text>
        );
      })}
      {replay && clock && (
        <SvgReplayLabel
          class="centre-replay"
          id={full ? "radial-replay" : "radial-replay-compact"}
          date={clock.date}
          y={g.firstRow + 2.5 * g.rowGap + (full ? 2 : 0)}
          fontSize={g.note - (full ? 1 : 0)}
          testId="index-replay"
        />
      )}
    </g>
  );
}
