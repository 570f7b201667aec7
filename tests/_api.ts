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
  return { status: res.status, body: text ? JSON.parse(text) : null };
}
