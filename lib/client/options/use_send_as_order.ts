/**
 * The strategy builder's "Send as order": its analysed legs become an option ticket under the
 * builder, or the reason they cannot be one order. The ticket's code loads on the first send.
 */
import { useRef, useState } from "preact/hooks";
import type { ComponentType } from "preact";
import type { AnalyzedLeg } from "../risk/options_builder.ts";
import type { OptionTicketProps } from "./OptionTicket.tsx";
import type { TicketLeg } from "./ticket.ts";

export interface SentTicket {
  Ticket: ComponentType<OptionTicketProps>;
  legs: TicketLeg[];
  qty: number;
  /** Changes with every send, so the ticket's form starts afresh. */
  n: number;
}

export function useSendAsOrder() {
  const [ticket, setTicket] = useState<SentTicket | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  // "Send as order" gets the focus back when the ticket closes.
  const opener = useRef<HTMLElement | null>(null);

  async function open(legs: AnalyzedLeg[]) {
    opener.current = document.activeElement as HTMLElement | null;
    setProblem(null);
    let mods;
    try {
      mods = await Promise.all([import("./from_builder.ts"), import("./OptionTicket.tsx")]);
    } catch {
      return setProblem("The order ticket could not load; reload the page.");
    }
    const [{ ticketFromAnalysis }, { default: Ticket }] = mods;
    const made = ticketFromAnalysis(legs);
    if (!made.ok) return (setTicket(null), setProblem(made.message));
    setTicket((t) => ({ Ticket, legs: made.legs, qty: made.qty, n: (t?.n ?? 0) + 1 }));
  }

  function close() {
    setTicket(null);
    opener.current?.focus();
  }

  return { ticket, problem, open, close };
}
