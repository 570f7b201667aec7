/**
 * What Alpaca's answers mean for PaiiD: which failures leave an order's fate unknown, which are
 * a definitive refusal (and with which seam error code), and which mean Alpaca is unusable.
 *
 * @module
 */
import {
  BrokerUnavailableError,
  OrderNotFoundError,
  OrderRefusedError,
  OrderStateError,
} from "../types.ts";
import { AlpacaApiError, AlpacaTransportError } from "./http.ts";

export function isDuplicateKey(err: unknown): boolean {
  return err instanceof AlpacaApiError && err.status === 422 &&
    /client_order_id must be unique/i.test(err.message);
}

/** No answer, or a server error: the order may or may not exist. */
export function isAmbiguous(err: unknown): boolean {
  if (err instanceof AlpacaTransportError) return true;
  return err instanceof AlpacaApiError && err.status >= 500;
}

/**
 * The extra refusal fields a user may see. Others (available, related_orders, existing_qty,
 * held_for_orders) describe the one shared account: other users' orders and holdings.
 */
function details(err: AlpacaApiError): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of ["buying_power", "cost_basis"]) if (k in err.body) out[k] = err.body[k];
  return out;
}

function refusalCode(err: AlpacaApiError): string {
  const m = err.message.toLowerCase();
  if (err.status === 403) {
    if (m.includes("buying power")) return "insufficient_buying_power";
    if (m.includes("qty") || m.includes("quantity") || m.includes("shares")) {
      return "insufficient_qty";
    }
    if (m.includes("short")) return "short_sale_not_allowed";
    return "order_not_allowed";
  }
  if (m.includes("short") && m.includes("not")) return "short_sale_not_allowed";
  return "invalid_order";
}

/** A definitive "no" to a new order (nothing was placed), or Alpaca being unusable. */
export function refusal(err: unknown): Error {
  if (err instanceof AlpacaApiError && [400, 403, 422].includes(err.status)) {
    return new OrderRefusedError(err.message, refusalCode(err), [], details(err));
  }
  return unavailable(err);
}

export function replaceRefusal(err: unknown, id: string): Error {
  if (!(err instanceof AlpacaApiError)) return unavailable(err);
  if (err.status === 404) return new OrderNotFoundError(`No order ${id}.`);
  if (err.status === 422) {
    // Alpaca uses 422 both for an order that cannot be replaced now and for bad parameters.
    // The former names the order's state ("not replaceable in \"filled\" state").
    const state = /\b(state|status)\b/i;
    return state.test(err.message)
      ? new OrderStateError(err.message)
      : new OrderRefusedError(err.message, "invalid_order", [], details(err));
  }
  return refusal(err);
}

export function unavailable(err: unknown): Error {
  if (
    err instanceof OrderRefusedError || err instanceof OrderNotFoundError ||
    err instanceof OrderStateError || err instanceof BrokerUnavailableError
  ) return err;
  if (err instanceof AlpacaApiError) {
    if (err.status === 429) {
      return new BrokerUnavailableError(
        "Alpaca's rate limit is reached; try again shortly.",
        err.retryAfterSeconds,
      );
    }
    if (err.status === 401 || err.status === 403) {
      return new BrokerUnavailableError(`Alpaca refused PaiiD's API keys (${err.status}).`);
    }
    return new BrokerUnavailableError(`Alpaca answered ${err.status}: ${err.message}`);
  }
  if (err instanceof AlpacaTransportError) {
    return new BrokerUnavailableError(`Alpaca is unreachable: ${err.message}`);
  }
  return err instanceof Error ? err : new Error(String(err));
}
