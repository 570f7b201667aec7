/**
 * Greeks and the market's date for the option positions on screen: a position's own `greeks`
 * when the broker sent them, else its contract's in the chain (one request per underlying and
 * expiration), else Black-Scholes (lib/shared/greeks.ts, loaded only then). The market's date
 * (the replayed day under replay) gives the days to expiry. Read again every minute, the chain
 * cache's lifetime, while the page is visible.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import type { MarketClock, OptionChain } from "../../market/types.ts";
import { callApi } from "../trading_fetch.ts";
import {
  type BlackScholes,
  contractGreeks,
  type GreeksSource,
  lacksGreeks,
  loadBlackScholes,
} from "./greeks_fill.ts";
import {
  type ContractGreeks,
  daysToExpiry,
  greeksOnPosition,
  type OptionPosition,
} from "./positions.ts";

const REFRESH_MS = 60_000;

export interface LegGreeks {
  greeks: ContractGreeks | null;
  source: GreeksSource | null;
}

export interface OptionGreeksState {
  /** The market's date, `YYYY-MM-DD`; null until known. */
  today: string | null;
  bySymbol: Record<string, LegGreeks>;
}

async function chainsFor(
  positions: readonly OptionPosition[],
): Promise<Map<string, OptionChain | null>> {
  const keys = [...new Set(positions.map((p) => `${p.option.underlying}|${p.option.expiration}`))];
  const chains = await Promise.all(keys.map(async (k) => {
    const [u, e] = k.split("|");
    const res = await callApi<OptionChain>(
      `/api/options/chain/${encodeURIComponent(u)}?expiration=${encodeURIComponent(e)}`,
    );
    return [k, res.ok && Array.isArray(res.data?.options) ? res.data : null] as const;
  }));
  return new Map(chains);
}

async function readGreeks(positions: readonly OptionPosition[]): Promise<OptionGreeksState> {
  const clock = await callApi<MarketClock>("/api/market/clock");
  const today = clock.ok && typeof clock.data?.date === "string" ? clock.data.date : null;
  const bySymbol: Record<string, LegGreeks> = {};
  const rest: OptionPosition[] = [];
  for (const p of positions) {
    const own = greeksOnPosition(p);
    if (own) bySymbol[p.symbol] = { greeks: own, source: "position" };
    else rest.push(p);
  }
  if (rest.length === 0) return { today, bySymbol };
  const chains = await chainsFor(rest);
  const found = rest.map((p) => {
    const chain = chains.get(`${p.option.underlying}|${p.option.expiration}`) ?? null;
    return { p, chain, contract: chain?.options.find((o) => o.symbol === p.symbol) ?? null };
  });
  let bs: BlackScholes | null = null;
  if (found.some((f) => f.contract && lacksGreeks(f.contract))) {
    bs = await loadBlackScholes().catch(() => null);
  }
  for (const { p, chain, contract } of found) {
    const days = today ? daysToExpiry(p.option.expiration, today) : null;
    const g = contract ? contractGreeks(contract, chain?.underlyingPrice ?? null, days, bs) : null;
    bySymbol[p.symbol] = g ?? { greeks: null, source: null };
  }
  return { today, bySymbol };
}

export function useOptionGreeks(positions: readonly OptionPosition[]): OptionGreeksState {
  const [state, setState] = useState<OptionGreeksState>({ today: null, bySymbol: {} });
  const key = positions.map((p) => p.symbol).sort().join(",");
  // The latest positions (their own Greeks change on every refresh), read by the timer too.
  const latest = useRef(positions);
  latest.current = positions;
  useEffect(() => {
    if (!key) return;
    let live = true;
    const read = () => readGreeks(latest.current).then((s) => live && setState(s));
    read();
    const timer = setInterval(() => {
      if (document.visibilityState !== "hidden") read();
    }, REFRESH_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [key]);
  return state;
}
