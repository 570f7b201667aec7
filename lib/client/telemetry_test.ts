import { deepEqual, equal } from "node:assert/strict";
import { announceCommand, COMMAND_EVENT, createSender } from "./telemetry.ts";

function fakeNet() {
  const sent: {
    body: { events: unknown[] };
    headers: Record<string, string>;
    keepalive?: boolean;
  }[] = [];
  const timers: (() => void)[] = [];
  const sender = createSender({
    csrfToken: "tok",
    batchSize: 3,
    delayMs: 1_000,
    fetch: (_url, init) => {
      sent.push({
        body: JSON.parse(String(init?.body)),
        headers: init?.headers as Record<string, string>,
        keepalive: init?.keepalive,
      });
      return Promise.resolve(new Response(null, { status: 202 }));
    },
    setTimeout: (fn) => timers.push(fn),
    clearTimeout: () => {},
  });
  return { sent, timers, sender };
}

Deno.test("events wait for a full batch or the timer, then go out in one request", async () => {
  const { sent, timers, sender } = fakeNet();
  sender.record({ name: "stage_opened", page: "risk" });
  sender.record({ name: "command_used", command: "stage" });
  equal(sent.length, 0);
  equal(timers.length, 1);
  sender.record({ name: "stage_opened", page: "hub" });
  // The third event fills the batch.
  await Promise.resolve();
  equal(sent.length, 1);
  equal(sent[0].body.events.length, 3);
  equal(sent[0].headers["X-CSRF-Token"], "tok");
  equal(sent[0].keepalive, false);
  sender.record({ name: "stage_opened", page: "news" });
  timers.at(-1)!();
  await Promise.resolve();
  equal(sent.length, 2);
  deepEqual(sent[1].body.events, [{ name: "stage_opened", page: "news" }]);
});

Deno.test("leaving the page sends what waits with keepalive", async () => {
  const { sent, sender } = fakeNet();
  sender.record({ name: "stage_opened", page: "risk" });
  await sender.flush(true);
  equal(sent[0].keepalive, true);
  equal(sender.pending, 0);
  // Nothing waiting: nothing sent.
  await sender.flush(true);
  equal(sent.length, 1);
});

Deno.test("client errors are scrubbed, deduplicated and capped per page", async () => {
  const { sent, sender } = fakeNet();
  sender.recordError("Order 12345 for bob@example.com failed at https://x.test/a?b=1", "execute");
  sender.recordError("Order 999 for ann@example.com failed at https://y.test/", "execute");
  for (let i = 0; i < 10; i++) sender.recordError(`error kind ${"x".repeat(i)}`);
  await sender.flush();
  const events = sent.flatMap((s) => s.body.events) as { message?: string }[];
  // The first two scrub to the same text: kept once. Then four more up to the cap of five.
  equal(events.length, 5);
  equal(events[0].message, "Order # for <email> failed at <url>");
});

Deno.test("the palette's announcement is a window event carrying the command id", () => {
  const target = new EventTarget();
  let got: unknown;
  target.addEventListener(COMMAND_EVENT, (e) => got = (e as CustomEvent).detail);
  announceCommand("symbol:AAPL", target);
  equal(got, "symbol:AAPL");
});
