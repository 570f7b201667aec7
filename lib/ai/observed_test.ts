import { equal, rejects } from "node:assert/strict";
import { z } from "zod";
import { metrics } from "../metrics/mod.ts";
import { observedAnalyst } from "./observed.ts";
import { type Analyst, AnalystError, type TurnResult } from "./types.ts";

const usage = { inputTokens: 100, outputTokens: 20, cacheReadTokens: 5, cacheCreationTokens: 0 };

const inner: Analyst = {
  kind: "claude",
  model: "test-model",
  turn: (request) => {
    if (request.message === "fail") {
      return Promise.reject(new AnalystError("overloaded", "busy"));
    }
    return Promise.resolve(
      { text: "hi", analyst: "claude", model: "test-model", usage } as TurnResult,
    );
  },
  structured: <T>() =>
    Promise.resolve({
      value: { ok: true } as T,
      analyst: "claude" as const,
      model: "test-model",
      usage,
      attempts: 1,
      toolCalls: [],
    }),
  ping: () => Promise.resolve(),
};

Deno.test("the observed analyst counts requests by result and adds up tokens", async () => {
  const a = observedAnalyst(inner);
  equal(a.kind, "claude");
  equal(a.model, "test-model");
  const ok = () => metrics.analystRequests.labels("claude", "turn", "ok").value;
  const busy = () => metrics.analystRequests.labels("claude", "turn", "overloaded").value;
  const structured = () => metrics.analystRequests.labels("claude", "structured", "ok").value;
  const input = () => metrics.analystTokens.labels("claude", "input").value;
  const output = () => metrics.analystTokens.labels("claude", "output").value;
  const [ok0, busy0, s0, in0, out0] = [ok(), busy(), structured(), input(), output()];

  const turn = { userId: 1, message: "hello", history: [], context: {} } as never;
  equal((await a.turn(turn, () => {})).text, "hi");
  await rejects(a.turn({ ...(turn as object), message: "fail" } as never, () => {}), AnalystError);
  await a.structured({ task: "t", instructions: "x", input: {}, schema: z.object({}) } as never);

  equal(ok() - ok0, 1);
  equal(busy() - busy0, 1);
  equal(structured() - s0, 1);
  equal(input() - in0, 200);
  equal(output() - out0, 40);
});
