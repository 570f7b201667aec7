/**
 * Review, then confirm: "Review order" asks the API for a preview (estimated cost, buying power
 * after, every pre-trade check) and only Confirm places the order, under the idempotency key
 * made for that review, so a double click or a retry can never make a second order.
 */
import type { JSX } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { placedMessage } from "../../shared/order_labels.ts";
import {
  buildOrder,
  type FieldErrors,
  type OrderBody,
  type TicketForm,
} from "../../shared/ticket.ts";
import type { ToastKind } from "../toast.tsx";
import { type OrderPreview, readPlaced, readPreview } from "../trading_api.ts";
import { callApi, ORDER_PLACED_EVENT } from "../trading_fetch.ts";
import { focusFirstError } from "./use_ticket_form.ts";

export interface Review {
  body: OrderBody;
  /** The order's idempotency key: Confirm and any retry of it send this same key. */
  key: string;
  preview: OrderPreview;
  /** Why the server refused on Confirm, when it did. */
  refusal: string | null;
}

export interface OrderReviewOptions {
  csrfToken: string;
  setErrors(errors: FieldErrors): void;
  showToast(kind: ToastKind, text: string): void;
  clearToast(): void;
}

export interface OrderReviewState {
  review: Review | null;
  busy: "preview" | "place" | null;
  /** Validates `form` (its amount read in `form.amountMode`) and asks for a preview. */
  start(form: TicketForm): Promise<void>;
  confirm(): Promise<void>;
  /** Back to editing, focus on "Review order". */
  close(): void;
  /** Drops the review: the order it priced was changed. */
  discard(): void;
  /** Escape on the ticket closes an open review. */
  onKeyDown(event: JSX.TargetedKeyboardEvent<HTMLElement>): void;
  titleRef: { current: HTMLHeadingElement | null };
  reviewButtonRef: { current: HTMLButtonElement | null };
}

export function useOrderReview(opts: OrderReviewOptions): OrderReviewState {
  const { csrfToken, setErrors, showToast, clearToast } = opts;
  const [review, setReview] = useState<Review | null>(null);
  const [busy, setBusy] = useState<"preview" | "place" | null>(null);
  const inFlight = useRef(false);
  // One key per intent: kept while the order stays the same and has not been placed, so a
  // Confirm whose answer was lost is retried under the key the server may already have.
  const intent = useRef<{ json: string; key: string } | null>(null);
  const titleRef = useRef<HTMLHeadingElement>(null);
  const reviewButtonRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (review) titleRef.current?.focus();
  }, [review?.key, review?.preview]);

  async function start(form: TicketForm) {
    if (inFlight.current) return;
    const built = buildOrder(form);
    if (!built.ok) {
      setErrors(built.errors);
      setReview(null);
      focusFirstError(built.errors);
      return;
    }
    setErrors({});
    const json = JSON.stringify(built.body);
    if (intent.current?.json !== json) intent.current = { json, key: crypto.randomUUID() };
    const key = intent.current.key;
    inFlight.current = true;
    setBusy("preview");
    const res = await callApi<unknown>("/api/orders", {
      method: "POST",
      body: { ...built.body, clientOrderId: key, preview: true },
      csrfToken,
    });
    inFlight.current = false;
    setBusy(null);
    if (!res.ok) {
      setErrors(res.problem.fieldErrors);
      showToast("error", res.problem.message);
      return;
    }
    const preview = readPreview(res.data);
    if (!preview) {
      showToast("error", "The preview came back in a form this page does not understand.");
      return;
    }
    clearToast();
    setReview({ body: built.body, key, preview, refusal: null });
  }

  async function confirm() {
    if (!review || inFlight.current) return;
    inFlight.current = true;
    setBusy("place");
    const res = await callApi<unknown>("/api/orders", {
      method: "POST",
      body: { ...review.body, clientOrderId: review.key, preview: false },
      csrfToken,
    });
    inFlight.current = false;
    setBusy(null);
    if (res.ok) {
      const placed = readPlaced(res.data);
      intent.current = null;
      setReview(null);
      if (!placed) {
        showToast("info", "The order was sent; refresh Today's orders to see it.");
      } else {
        const msg = placedMessage(placed.order, placed.duplicate);
        showToast(msg.kind, msg.text);
      }
      globalThis.dispatchEvent(
        new CustomEvent(ORDER_PLACED_EVENT, { detail: { order: placed?.order ?? null } }),
      );
      reviewButtonRef.current?.focus();
      return;
    }
    const p = res.problem;
    showToast("error", p.message);
    if (p.status === 422) {
      // Refused: nothing was placed. Show the server's verdicts in place of the preview's.
      setReview({
        ...review,
        preview: p.checks.length ? { ...review.preview, checks: p.checks } : review.preview,
        refusal: p.message,
      });
    } else if (p.status === 400) {
      setErrors(p.fieldErrors);
      setReview(null);
    }
    // Otherwise (network, 5xx) the review stays open: Confirm retries under the same key.
  }

  function close() {
    setReview(null);
    reviewButtonRef.current?.focus();
  }

  function onKeyDown(event: JSX.TargetedKeyboardEvent<HTMLElement>) {
    if (event.key === "Escape" && review && !busy) {
      event.preventDefault();
      close();
    }
  }

  return {
    review,
    busy,
    start,
    confirm,
    close,
    discard: () => setReview(null),
    onKeyDown,
    titleRef,
    reviewButtonRef,
  };
}
