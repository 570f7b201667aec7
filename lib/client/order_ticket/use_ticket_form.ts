/**
 * The order ticket's fields and the errors shown beside them. The amount is in dollars only
 * while the order type allows fractions; otherwise it is read as shares whatever was chosen.
 */
import { useState } from "preact/hooks";
import type { OrderSide } from "../../broker/types.ts";
import {
  type FieldErrors,
  fractionalAllowed,
  initialTicketForm,
  type TicketField,
  type TicketForm,
} from "../../shared/ticket.ts";

/** What the page may fill in from its query (`?symbol=AAPL&side=sell&qty=5`). */
export interface TicketPrefill {
  symbol?: string;
  side?: OrderSide;
  qty?: string;
  /** The user's trading defaults (Settings). */
  type?: "market" | "limit";
  timeInForce?: "day" | "gtc";
  /**
   * Every field as the page computed them, instead of the above: an order template laid over
   * the defaults (`/execute?template=ID`), so the ticket's code does not carry the template rules.
   */
  form?: TicketForm | null;
}

export interface TicketFormState {
  form: TicketForm;
  errors: FieldErrors;
  setErrors(errors: FieldErrors): void;
  /** Sets one field and clears the error shown for it. */
  update<K extends keyof TicketForm>(key: K, value: TicketForm[K]): void;
  /** Sets every field at once (a template applied) and clears the errors. */
  replace(form: TicketForm): void;
  /** Whether dollar amounts and fractional shares are allowed for the chosen type. */
  fractional: boolean;
  /** The amount mode in effect. */
  mode: TicketForm["amountMode"];
}

export function useTicketForm(prefill: TicketPrefill): TicketFormState {
  const [form, setForm] = useState<TicketForm>(() => prefill.form ?? initialTicketForm(prefill));
  const [errors, setErrors] = useState<FieldErrors>({});

  function update<K extends keyof TicketForm>(key: K, value: TicketForm[K]) {
    setForm((f) => ({ ...f, [key]: value }));
    const field = (key === "amountMode" ? "amount" : key === "trailMode" ? "trail" : key) as
      | TicketField
      | string;
    setErrors((e) => (field in e ? { ...e, [field]: undefined } : e));
  }

  const fractional = fractionalAllowed(form.type, form.timeInForce);
  return {
    form,
    errors,
    setErrors,
    update,
    replace(next) {
      setForm(next);
      setErrors({});
    },
    fractional,
    mode: fractional ? form.amountMode : "shares",
  };
}

/** Moves focus to the first field with an error, in the order the ticket shows them. */
export function focusFirstError(errors: FieldErrors): void {
  const order: [TicketField, string][] = [
    ["symbol", "ticket-symbol"],
    ["amount", "ticket-qty"],
    ["stopPrice", "ticket-stop"],
    ["limitPrice", "ticket-limit"],
    ["trail", "ticket-trail"],
  ];
  const first = order.find(([f]) => errors[f]);
  if (first) (document.getElementById(first[1]) as HTMLInputElement | null)?.focus();
}
