/**
 * The option ticket's review, then confirm, as the stock ticket does it: "Review order" asks the
 * API for a preview, and only Confirm places the order, under the key made for that order, so
 * a double click or a retry after a lost answer can never make a second order.
 */
import { useRef, useState } from "preact/hooks";
import type { ToastKind } from "../toast.tsx";
import { readPlaced } from "../trading_api.ts";
import { callApi, ORDER_PLACED_EVENT } from "../trading_fetch.ts";
import { optionPlacedMessage } from "./labels.ts";
import { type OptionPreview, readOptionPreview } from "./preview.ts";
import {
  buildOptionOrder,
  errorsFromIssues,
  keyFor,
  type OptionErrors,
  type OptionOrderBody,
  type OptionTicketForm,
} from "./ticket.ts";

export interface OptionReview {
  body: OptionOrderBody;
  /** Confirm and any retry of it send this same key. */
  key: string;
  preview: OptionPreview;
  /** Why the server refused on Confirm, when it did. */
  refusal: string | null;
}

export interface OptionReviewFlow {
  review: OptionReview | null;
  busy: "preview" | "place" | null;
  errors: OptionErrors;
  start(form: OptionTicketForm): Promise<void>;
  confirm(): Promise<void>;
  /** Drops the review: the order it priced was changed. */
  discard(): void;
  clearError(field: keyof OptionErrors): void;
}

export function useOptionReview(
  { csrfToken, showToast, clearToast }: {
    csrfToken: string;
    showToast(kind: ToastKind, text: string): void;
    clearToast(): void;
  },
): OptionReviewFlow {
  const [review, setReview] = useState<OptionReview | null>(null);
  const [busy, setBusy] = useState<"preview" | "place" | null>(null);
  const [errors, setErrors] = useState<OptionErrors>({});
  const inFlight = useRef(false);
  const intent = useRef<{ json: string; key: string } | null>(null);

  async function post(body: OptionOrderBody, key: string, preview: boolean) {
    inFlight.current = true;
    setBusy(preview ? "preview" : "place");
    const res = await callApi<unknown>("/api/orders", {
      method: "POST",
      body: { ...body, clientOrderId: key, preview },
      csrfToken,
    });
    inFlight.current = false;
    setBusy(null);
    return res;
  }

  async function start(form: OptionTicketForm) {
    if (inFlight.current) return;
    const built = buildOptionOrder(form);
    if (!built.ok) {
      setErrors(built.errors);
      setReview(null);
      return;
    }
    setErrors({});
    intent.current = keyFor(intent.current, built.body, () => crypto.randomUUID());
    const key = intent.current.key;
    const res = await post(built.body, key, true);
    if (!res.ok) {
      setErrors(errorsFromIssues(res.problem.issues));
      showToast("error", res.problem.message);
      return;
    }
    const preview = readOptionPreview(res.data);
    if (!preview) {
      showToast("error", "The preview came back in a form this page does not understand.");
      return;
    }
    clearToast();
    setReview({ body: built.body, key, preview, refusal: null });
  }

  async function confirm() {
    if (!review || inFlight.current) return;
    const res = await post(review.body, review.key, false);
    if (res.ok) {
      const placed = readPlaced(res.data);
      intent.current = null;
      setReview(null);
      const msg = placed
        ? optionPlacedMessage(placed.order, placed.duplicate)
        : { kind: "info" as const, text: "The order was sent; Today's orders shows it." };
      showToast(msg.kind, msg.text);
      globalThis.dispatchEvent(
        new CustomEvent(ORDER_PLACED_EVENT, { detail: { order: placed?.order ?? null } }),
      );
      return;
    }
    const p = res.problem;
    showToast("error", p.message);
    if (p.status === 422) {
      // Refused: nothing was placed. The server's verdicts replace the preview's.
      setReview({
        ...review,
        preview: p.checks.length ? { ...review.preview, checks: p.checks } : review.preview,
        refusal: p.message,
      });
    } else if (p.status === 400) {
      setErrors(errorsFromIssues(p.issues));
      setReview(null);
    }
    // Otherwise (network, 5xx) the review stays: Confirm retries under the same key.
  }

  return {
    review,
    busy,
    errors,
    start,
    confirm,
    discard: () => setReview(null),
    clearError: (field) => setErrors((e) => (e[field] ? { ...e, [field]: undefined } : e)),
  };
}
