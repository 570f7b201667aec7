import assert from "node:assert/strict";
import { clientAborted } from "./client_abort.ts";

Deno.test("client abort: Deno's failed body reads count, other errors do not", () => {
  const bodyGone = "Cannot read request body as underlying resource unavailable";
  assert.equal(clientAborted(new Deno.errors.BadResource(bodyGone)), true);
  assert.equal(
    clientAborted(
      new Deno.errors.BadResource("Cannot read body as underlying resource unavailable"),
    ),
    true,
  );
  assert.equal(
    clientAborted(new Deno.errors.Http("connection closed before message completed")),
    true,
  );
  assert.equal(
    clientAborted(new Deno.errors.BadResource("Bad resource ID")),
    false,
    "a closed file",
  );
  assert.equal(clientAborted(new Deno.errors.ConnectionReset("reset by the database")), false);
  assert.equal(clientAborted(new TypeError(bodyGone)), false, "only Deno's own error classes");
  assert.equal(clientAborted(bodyGone), false);
});
