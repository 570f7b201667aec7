/** One JSON request to a test app as a signed-in user, answered as status and parsed body. */
import type { TestApp } from "./_harness.ts";

export interface ApiCaller {
  t: TestApp;
  bearer: Record<string, string>;
}

export async function call(
  s: ApiCaller,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
  // deno-lint-ignore no-explicit-any
): Promise<{ status: number; body: any }> {
  const res = await s.t.app.request(path, {
    method,
    headers: { ...s.bearer, "Content-Type": "application/json", ...headers },
    // A string is sent as it is, so tests can send malformed JSON.
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  const parsed = text ? JSON.parse(text) : null;
  if (res.status >= 500) attachServerError(s.t, parsed);
  return { status: res.status, body: parsed };
}

/**
 * A 500's body names only its request id; the app logged the cause. Copying that log line into
 * the body puts it in the failing assertion's message, so a rare failure explains itself.
 */
// deno-lint-ignore no-explicit-any
function attachServerError(t: TestApp, body: any): void {
  const id = body?.error?.requestId;
  if (!id) return;
  const line = t.logs.find((l) => l.request_id === id && l.level === "error");
  if (line) body.error.serverLog = line;
}
