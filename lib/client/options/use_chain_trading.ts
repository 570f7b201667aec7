/**
 * The option chain's trading state, kept small because it loads with the symbol page: the
 * ticket's code arrives with the first click on a quote (or on "+ leg"), a click opens a
 * single-leg ticket, and in "+ leg" mode clicks collect 2 to 4 legs for one multi-leg ticket.
 */
import { useRef, useState } from "preact/hooks";
import type { OptionContract } from "../../market/types.ts";
import type { TicketLeg } from "./ticket.ts";

type TradingModule = typeof import("./chain_trading.tsx");

export interface ChainTrading {
  /** The lazily loaded pieces; null until the first click. */
  mod: TradingModule | null;
  failed: boolean;
  legMode: boolean;
  picked: TicketLeg[];
  /** Why the last pick was refused. */
  note: string | null;
  /** The open ticket; `n` changes with every new one so its form starts afresh. */
  ticket: { legs: TicketLeg[]; n: number } | null;
  quote(contract: OptionContract, which: "bid" | "ask"): void;
  toggleLegMode(): void;
  reviewPicked(): void;
  clearPicked(): void;
  closeTicket(): void;
}

export function useChainTrading(): ChainTrading {
  const [mod, setMod] = useState<TradingModule | null>(null);
  const [failed, setFailed] = useState(false);
  const [legMode, setLegMode] = useState(false);
  const [picked, setPicked] = useState<TicketLeg[]>([]);
  const [note, setNote] = useState<string | null>(null);
  const [ticket, setTicket] = useState<{ legs: TicketLeg[]; n: number } | null>(null);
  const loading = useRef<Promise<TradingModule | null> | null>(null);
  const pickedRef = useRef<TicketLeg[]>([]);
  pickedRef.current = picked;
  // The quote (or button) that opened the ticket gets the focus back when it closes.
  const opener = useRef<HTMLElement | null>(null);

  /** The trading pieces; null (and `failed`) when they could not be loaded. */
  function load(): Promise<TradingModule | null> {
    loading.current ??= import("./chain_trading.tsx").then(
      (m) => (setMod(m), m),
      () => (setFailed(true), null),
    );
    return loading.current;
  }
  const open = (legs: TicketLeg[]) => {
    opener.current = document.activeElement as HTMLElement | null;
    setTicket((t) => ({ legs, n: (t?.n ?? 0) + 1 }));
  };

  return {
    mod,
    failed,
    legMode,
    picked,
    note,
    ticket,
    quote(contract, which) {
      load().then((m) => {
        if (!m) return;
        const leg = m.legFromQuote(contract, which, {});
        if (!legMode) return open([leg]);
        const r = m.pickLeg(pickedRef.current, leg);
        setPicked(r.legs);
        setNote(r.message);
      });
    },
    toggleLegMode() {
      if (!legMode) load();
      setLegMode(!legMode);
      setNote(null);
    },
    reviewPicked() {
      if (picked.length >= 2) open(picked);
    },
    clearPicked() {
      setPicked([]);
      setNote(null);
    },
    closeTicket() {
      setTicket(null);
      opener.current?.focus();
    },
  };
}
