/**
 * Typed HTTP errors, thrown anywhere, and the one JSON shape every error answer has:
 * `{ error: { code, message, details?, requestId } }`, built only by `errorBody`. Never a stack
 * trace.
 */
import { HTTPException } from "hono/http-exception";
import { ZodError } from "zod";

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = "HttpError";
  }
}

export class BadRequestError extends HttpError {
  constructor(message: string, details?: unknown, code = "bad_request") {
    super(400, code, message, details);
  }
}

export class UnauthorizedError extends HttpError {
  constructor(message = "Sign in to continue.") {
    super(401, "unauthorized", message);
  }
}

export class ForbiddenError extends HttpError {
  constructor(message = "You may not do that.") {
    super(403, "forbidden", message);
  }
}

export class NotFoundError extends HttpError {
  constructor(message = "Not found.", details?: unknown) {
    super(404, "not_found", message, details);
  }
}

export class ConflictError extends HttpError {
  constructor(message: string, details?: unknown) {
    super(409, "conflict", message, details);
  }
}

export class ServiceUnavailableError extends HttpError {
  constructor(message: string, details?: unknown) {
    super(503, "service_unavailable", message, details);
  }
}

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown; requestId?: string };
}

/**
 * The body of every error answer: thrown errors (`toErrorBody`), refusals by middleware, the
 * API's 404 and the framework's 405. `details` and `requestId` are left out when unknown.
 */
export function errorBody(
  code: string,
  message: string,
  { details, requestId }: { details?: unknown; requestId?: string } = {},
): ErrorBody {
  return {
    error: {
      code,
      message,
      ...(details === undefined ? {} : { details }),
      ...(requestId === undefined ? {} : { requestId }),
    },
  };
}

/** Zod issues as `{ path, message }`, the `details` of a validation error. */
export function zodDetails(err: ZodError): { path: string; message: string }[] {
  return err.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message }));
}

/** Maps any thrown value to a status and body; `expose` is false for unexpected errors. */
export function toErrorBody(err: unknown, requestId?: string): {
  status: number;
  body: ErrorBody;
  headers?: Record<string, string>;
  expected: boolean;
} {
  if (err instanceof HttpError) {
    return {
      status: err.status,
      body: errorBody(err.code, err.message, { details: err.details, requestId }),
      headers: err.headers,
      expected: true,
    };
  }
  if (err instanceof ZodError) {
    return {
      status: 400,
      body: errorBody("validation_failed", "The request is not valid.", {
        details: zodDetails(err),
        requestId,
      }),
      expected: true,
    };
  }
  if (err instanceof HTTPException) {
    const status = err.status;
    const code = status === 413
      ? "payload_too_large"
      : status === 400
      ? "bad_request"
      : status === 401
      ? "unauthorized"
      : status === 403
      ? "forbidden"
      : status === 404
      ? "not_found"
      : status < 500
      ? "request_error"
      : "internal_error";
    const message = status >= 500 ? "Internal server error." : err.message || "Request failed.";
    return { status, body: errorBody(code, message, { requestId }), expected: status < 500 };
  }
  if (err instanceof SyntaxError && /JSON/i.test(err.message)) {
    return {
      status: 400,
      body: errorBody("invalid_json", "The request body is not valid JSON.", { requestId }),
      expected: true,
    };
  }
  return {
    status: 500,
    body: errorBody("internal_error", "Internal server error.", { requestId }),
    expected: false,
  };
}
