import { equal, rejects } from "node:assert/strict";
import { metrics } from "./mod.ts";
import { upstreamCall } from "./upstream.ts";

const calls = () => metrics.upstreamRequests.labels("tradier").value;
const errors = () => metrics.upstreamErrors.labels("tradier").value;
const timed = () => metrics.upstreamDuration.labels("tradier").count;

Deno.test("an upstream call is counted and timed; a failure also as an error", async () => {
  const [c0, e0, t0] = [calls(), errors(), timed()];
  equal(await upstreamCall("tradier", {}, () => Promise.resolve(7)), 7);
  await rejects(upstreamCall("tradier", {}, () => Promise.reject(new Error("HTTP 502"))));
  equal(calls() - c0, 2);
  equal(errors() - e0, 1);
  equal(timed() - t0, 2);
});

Deno.test("a call the caller aborted, or one the seam calls a refusal, is no upstream error", async () => {
  const e0 = errors();
  await rejects(upstreamCall("tradier", {}, () => {
    return Promise.reject(new DOMException("stopped", "AbortError"));
  }));
  await rejects(upstreamCall("tradier", {}, () => Promise.reject(new Error("422")), () => false));
  equal(errors() - e0, 0);
});
