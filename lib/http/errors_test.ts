import assert from "node:assert/strict";
import { HTTPException } from "hono/http-exception";
import { z } from "zod";
import { BadRequestError, errorBody, HttpError, toErrorBody } from "./errors.ts";

Deno.test("errorBody: the one shape, details only when there are some", () => {
  assert.deepEqual(errorBody("x", "m"), { error: { code: "x", message: "m" } });
  assert.deepEqual(errorBody("x", "m", { requestId: "r" }), {
    error: { code: "x", message: "m", requestId: "r" },
  });
  assert.deepEqual(errorBody("x", "m", { details: [1], requestId: "r" }), {
    error: { code: "x", message: "m", details: [1], requestId: "r" },
  });
});

Deno.test("toErrorBody: each kind of error maps to its status and the same shape", () => {
  const typed = toErrorBody(new BadRequestError("bad", [{ path: "a" }]), "r1");
  assert.deepEqual(typed, {
    status: 400,
    body: {
      error: { code: "bad_request", message: "bad", details: [{ path: "a" }], requestId: "r1" },
    },
    headers: undefined,
    expected: true,
  });
  const limited = toErrorBody(
    new HttpError(429, "slow", "wait", undefined, { "Retry-After": "3" }),
  );
  assert.deepEqual(limited.headers, { "Retry-After": "3" });

  const zod = toErrorBody(z.object({ n: z.number() }).safeParse({ n: "1" }).error, "r2");
  assert.equal(zod.status, 400);
  assert.equal(zod.body.error.code, "validation_failed");
  assert.deepEqual((zod.body.error.details as { path: string }[]).map((d) => d.path), ["n"]);

  assert.deepEqual(toErrorBody(new HTTPException(413, { message: "too big" })).body, {
    error: { code: "payload_too_large", message: "too big" },
  });
  assert.equal(
    toErrorBody(new SyntaxError("Unexpected token in JSON")).body.error.code,
    "invalid_json",
  );

  const crash = toErrorBody(new Error("secret detail at file.ts:12"), "r3");
  assert.deepEqual(crash, {
    status: 500,
    body: { error: { code: "internal_error", message: "Internal server error.", requestId: "r3" } },
    expected: false,
  });
});
