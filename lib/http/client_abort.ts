/**
 * A client that goes away while sending its body (a closed tab, a dropped connection) makes the
 * body read fail inside whatever handler was reading it. That is the client's doing, not a
 * server fault: the app answers it with 499 (nginx's "client closed request", never seen by the
 * gone client) and logs it as an ordinary request line, not as an unhandled error.
 */

/** Status logged for requests whose client closed the connection before the body arrived. */
export const CLIENT_CLOSED_REQUEST = 499;

/**
 * True when `err` is Deno failing to read a request body because its connection is gone (the
 * messages Deno.serve gives today: "Cannot read body as underlying resource unavailable",
 * "Cannot read request body as ..."). Other `BadResource` errors (a closed file or KV) stay
 * server errors, and so does anything else, even if the client also left meanwhile.
 */
export function clientAborted(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (err instanceof Deno.errors.BadResource) return /\bbody\b/i.test(err.message);
  if (err instanceof Deno.errors.Http || err instanceof Deno.errors.UnexpectedEof) {
    return /body|message completed|connection closed/i.test(err.message);
  }
  return false;
}
