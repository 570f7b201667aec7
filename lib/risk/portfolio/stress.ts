/**
 * Stress tests: today's holdings put through real episodes of market history, and through a
 * shock the user names. A holding's move over an episode is `close(end) / close(start) − 1` on
 * the daily closes; one without both closes (listed later, or no data) moves by its beta × the
 * S&P 500's move over the episode, labelled so, or is shown as having no data when it has no
 * beta either.
 *
 * @module
 */
import type { PriceSeries } from "./series.ts";
import { cents } from "./exposure.ts";

export interface Episode {
  id: string;
  name: string;
  /** First and last trading day: the S&P 500's closing high and low of the episode. */
  start: string;
  end: string;
  description: string;
}

export const EPISODES: readonly Episode[] = [
  {
    id: "covid_2020",
    name: "COVID-19 crash",
    start: "2020-02-19",
    end: "2020-03-23",
    description: "S&P 500 closing high of 19 Feb 2020 to the closing low of 23 Mar 2020.",
  },
  {
    id: "q4_2018",
    name: "Q4 2018 sell-off",
    start: "2018-09-20",
    end: "2018-12-24",
    description: "S&P 500 closing high of 20 Sep 2018 to the closing low of 24 Dec 2018.",
  },
  {
    id: "aug_2015",
    name: "August 2015 flash sell-off",
    start: "2015-08-17",
    end: "2015-08-25",
    description: "17 Aug 2015 close to the 25 Aug 2015 close (yuan devaluation sell-off).",
  },
];

/** How a holding's move was found. */
export type MoveBasis = "history" | "beta_proxy" | "shock" | "no_data";

export interface StressRow {
  symbol: string;
  value: number;
  /** The holding's move as a fraction; null with no data. */
  move: number | null;
  /** `value × move`, USD; null with no data. */
  pnl: number | null;
  basis: MoveBasis;
}

export interface StressResult {
  id: string;
  name: string;
  description: string;
  start: string | null;
  end: string | null;
  /**
   * `ok`; `after_current_day` when the episode ends on or after the day being priced (in replay
   * it has not happened yet, so it is not shown); `no_index_data` when the S&P 500 lacks it.
   */
  status: "ok" | "after_current_day" | "no_index_data";
  indexMove: number | null;
  rows: StressRow[];
  /** Σ pnl of the rows that have one, USD. */
  pnl: number | null;
  pnlPercentOfEquity: number | null;
  method: string;
}

export interface StressHolding {
  symbol: string;
  value: number;
  beta: number | null;
}

/** `close(end) / close(start) − 1` when the series has both days, else null. */
export function episodeMove(series: PriceSeries | undefined, start: string, end: string) {
  if (!series) return null;
  const i = series.dates.indexOf(start);
  const j = series.dates.lastIndexOf(end);
  if (i < 0 || j < 0 || j <= i) return null;
  return series.closes[j] / series.closes[i] - 1;
}

function total(rows: StressRow[], equity: number) {
  const known = rows.filter((r) => r.pnl !== null);
  if (rows.length > 0 && known.length === 0) return { pnl: null, pnlPercentOfEquity: null };
  const pnl = known.reduce((s, r) => s + r.pnl!, 0);
  return {
    pnl: cents(pnl),
    pnlPercentOfEquity: equity > 0 ? cents((pnl / equity) * 100) : null,
  };
}

const HISTORY_METHOD = "Each holding × (close on the last day ÷ close on the first day − 1), on " +
  "split-adjusted daily closes; a holding without both closes moves β × the S&P 500's move.";

/** One episode replayed on the holdings. `currentDay` is the day being priced (`YYYY-MM-DD`). */
export function stressEpisode(
  episode: Episode,
  holdings: readonly StressHolding[],
  series: ReadonlyMap<string, PriceSeries>,
  index: PriceSeries | undefined,
  currentDay: string,
  equity: number,
): StressResult {
  const base = {
    id: episode.id,
    name: episode.name,
    description: episode.description,
    start: episode.start,
    end: episode.end,
    method: HISTORY_METHOD,
  };
  if (episode.end >= currentDay) {
    return {
      ...base,
      status: "after_current_day",
      indexMove: null,
      rows: [],
      pnl: null,
      pnlPercentOfEquity: null,
    };
  }
  const indexMove = episodeMove(index, episode.start, episode.end);
  const rows = holdings.map((h): StressRow => {
    const own = episodeMove(series.get(h.symbol), episode.start, episode.end);
    if (own !== null) {
      return {
        symbol: h.symbol,
        value: h.value,
        move: own,
        pnl: cents(h.value * own),
        basis: "history",
      };
    }
    if (indexMove !== null && h.beta !== null) {
      const move = h.beta * indexMove;
      return {
        symbol: h.symbol,
        value: h.value,
        move,
        pnl: cents(h.value * move),
        basis: "beta_proxy",
      };
    }
    return { symbol: h.symbol, value: h.value, move: null, pnl: null, basis: "no_data" };
  });
  return {
    ...base,
    status: indexMove === null ? "no_index_data" : "ok",
    indexMove,
    rows,
    ...total(rows, equity),
  };
}

/**
 * The user's shock, two ways: every holding moves `shock` %, and the S&P 500 moves `shock` %
 * with each holding moving β × that (a holding without a beta is shown as no data there).
 */
export function customShocks(
  shockPercent: number,
  holdings: readonly StressHolding[],
  equity: number,
): StressResult[] {
  const s = shockPercent / 100;
  const flat = holdings.map((h): StressRow => ({
    symbol: h.symbol,
    value: h.value,
    move: s,
    pnl: cents(h.value * s),
    basis: "shock",
  }));
  const betaRows = holdings.map((h): StressRow =>
    h.beta === null
      ? { symbol: h.symbol, value: h.value, move: null, pnl: null, basis: "no_data" }
      : {
        symbol: h.symbol,
        value: h.value,
        move: h.beta * s,
        pnl: cents(h.value * h.beta * s),
        basis: "beta_proxy",
      }
  );
  const common = { start: null, end: null, status: "ok" as const };
  return [
    {
      ...common,
      id: "custom_flat",
      indexMove: null,
      name: `Every holding ${fmtShock(shockPercent)}`,
      description: `Each holding's price moves ${fmtShock(shockPercent)} at once.`,
      rows: flat,
      ...total(flat, equity),
      method: "Each holding × shock.",
    },
    {
      ...common,
      id: "custom_beta",
      indexMove: s,
      name: `S&P 500 ${fmtShock(shockPercent)}, β-scaled`,
      description: `The S&P 500 moves ${
        fmtShock(shockPercent)
      }; each holding moves its beta times that.`,
      rows: betaRows,
      ...total(betaRows, equity),
      method: "Each holding × β × shock, β from the daily returns of the look-back window.",
    },
  ];
}

function fmtShock(p: number) {
  return `${p > 0 ? "+" : p < 0 ? "−" : ""}${Math.abs(p)} %`;
}
