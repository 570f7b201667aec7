/**
 * The palette's data from the API while it is open: the saved scans, strategies and order
 * templates (once per opening), and for a typed query the matching symbols with their live quotes. A source that
 * fails leaves its group out and says so; the rest of the palette still works.
 */
import { useEffect, useState } from "preact/hooks";
import { callApi } from "../trading_fetch.ts";
import {
  type Command,
  scanCommands,
  strategyCommands,
  symbolCommands,
  type SymbolQuote,
  templateCommands,
} from "./commands.ts";
import type { OrderTemplate } from "../../shared/order_template.ts";

export interface Sources {
  /** Saved scans, strategies and order templates. */
  lists: Command[];
  symbols: Command[];
  /** True while a symbol search for the current query is under way. */
  searching: boolean;
  problem: string | null;
}

const SYMBOLISH = /^[A-Za-z.\-^$ ]{1,20}$/;

export function usePaletteSources(query: string): Sources {
  const [lists, setLists] = useState<Command[]>([]);
  const [symbols, setSymbols] = useState<Command[]>([]);
  const [searching, setSearching] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    const ctl = new AbortController();
    Promise.all([
      callApi<{ scans: { id: number; name: string }[] }>("/api/screening/saved", {
        signal: ctl.signal,
      }),
      callApi<{ strategies: { id: number; name: string; version: number }[] }>(
        "/api/strategies",
        { signal: ctl.signal },
      ),
      callApi<{ templates: OrderTemplate[] }>("/api/order-templates", { signal: ctl.signal }),
    ]).then(([scans, strategies, templates]) => {
      setLists([
        ...(scans.ok ? scanCommands(scans.data.scans) : []),
        ...(strategies.ok ? strategyCommands(strategies.data.strategies) : []),
        ...(templates.ok ? templateCommands(templates.data.templates) : []),
      ]);
      if (!scans.ok || !strategies.ok || !templates.ok) {
        setProblem("Saved scans, strategies or order templates could not load.");
      }
    }).catch(() => {});
    return () => ctl.abort();
  }, []);

  useEffect(() => {
    const q = query.trim();
    if (!q || !SYMBOLISH.test(q)) {
      setSymbols([]);
      setSearching(false);
      return;
    }
    setSearching(true);
    const ctl = new AbortController();
    const search = async () => {
      const found = await callApi<{ matches: { symbol: string; name: string; type: string }[] }>(
        `/api/market/search?q=${encodeURIComponent(q)}`,
        { signal: ctl.signal },
      );
      const matches = found.ok ? found.data.matches.slice(0, 5) : [];
      // The names come first; the quotes follow in one request.
      setSymbols(symbolCommands(matches, {}, null));
      if (matches.length) {
        const quoted = await callApi<
          { quotes: (SymbolQuote & { symbol: string })[]; source: string }
        >(
          `/api/market/quotes?symbols=${
            matches.map((m) => encodeURIComponent(m.symbol)).join(",")
          }`,
          { signal: ctl.signal },
        );
        if (quoted.ok) {
          const bySymbol = Object.fromEntries(quoted.data.quotes.map((x) => [x.symbol, x]));
          setSymbols(symbolCommands(matches, bySymbol, quoted.data.source));
        }
      }
      setSearching(false);
    };
    // An aborted search was replaced by a newer one: nothing to report.
    const timer = setTimeout(() => void search().catch(() => {}), 120);
    return () => {
      clearTimeout(timer);
      ctl.abort();
    };
  }, [query]);

  return { lists, symbols, searching, problem };
}
