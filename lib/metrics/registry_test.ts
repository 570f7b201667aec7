import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { parseExposition, sampleValue } from "../../tests/_prometheus.ts";
import { Counter, escapeLabel, formatValue, Histogram, Registry } from "./registry.ts";

Deno.test("counters, gauges and histograms write the 0.0.4 text format, and it parses", () => {
  const r = new Registry();
  const requests = r.counter("t_requests_total", "Requests.\nTwo lines \\ here", ["route", "code"]);
  const clients = r.gauge("t_clients", "Open clients.", ["transport"]);
  const latency = r.histogram("t_latency_seconds", "Latency.", ["route"], [0.1, 1]);
  requests.labels("/a", "2xx").inc();
  requests.labels("/a", "2xx").inc(2);
  requests.labels('/b"\\\n', "5xx").inc();
  clients.labels("sse").inc();
  clients.labels("sse").inc();
  clients.labels("sse").dec();
  latency.labels("/a").observe(0.05);
  latency.labels("/a").observe(0.1);
  latency.labels("/a").observe(0.5);
  latency.labels("/a").observe(7);

  const text = r.expose();
  const families = parseExposition(text);
  equal(families.get("t_requests_total")?.type, "counter");
  equal(families.get("t_requests_total")?.help, "Requests.\nTwo lines \\ here");
  equal(sampleValue(families, "t_requests_total", { route: "/a", code: "2xx" }), 3);
  // The odd label value survives the escapes both ways.
  equal(sampleValue(families, "t_requests_total", { route: '/b"\\\n' }), 1);
  equal(sampleValue(families, "t_clients", { transport: "sse" }), 1);
  // Buckets are cumulative, and an observation equal to a bound falls in that bucket.
  equal(sampleValue(families, "t_latency_seconds_bucket", { le: "0.1" }), 2);
  equal(sampleValue(families, "t_latency_seconds_bucket", { le: "1" }), 3);
  equal(sampleValue(families, "t_latency_seconds_bucket", { le: "+Inf" }), 4);
  equal(sampleValue(families, "t_latency_seconds_count"), 4);
  equal(sampleValue(families, "t_latency_seconds_sum"), 7.65);
  ok(text.includes('t_requests_total{route="/b\\"\\\\\\n",code="5xx"} 1\n'));
});

Deno.test("labels() hands back the same series for the same values, a new one otherwise", () => {
  const c = new Counter("t_total", "x", ["a", "b"]);
  equal(c.labels("1", "2"), c.labels("1", "2"));
  const other = c.labels("1", "3");
  equal(other === c.labels("1", "2"), false);
  equal(c.series.length, 2);
  // Values that would collide if joined into one string stay apart.
  const d = new Counter("t2_total", "x", ["a", "b"]);
  d.labels("x\u0000", "y").inc();
  d.labels("x", "\u0000y").inc();
  equal(d.series.length, 2);
});

Deno.test("a counter never goes down; a missing label value is an error", () => {
  const c = new Counter("t_total", "x", ["a"]);
  c.labels("v").inc(-5);
  equal(c.labels("v").value, 0);
  throws(() => c.labels(), /no value for label a/);
});

Deno.test("bad names, labels and buckets are refused when the metric is made", () => {
  throws(() => new Counter("9bad", "x"), /not valid/);
  throws(() => new Counter("ok_total", "x", ["le"]), /not allowed/);
  throws(() => new Counter("ok_total", "x", ["__x"]), /not allowed/);
  throws(() => new Counter("ok_total", "x", ["a", "a"]), /repeat/);
  throws(() => new Counter("ok_total", "x", ["a", "b", "c", "d", "e"]), /at most 4/);
  throws(() => new Histogram("h", "x", [], [1, 1]), /strictly increasing/);
  throws(() => new Histogram("h", "x", [], []), /at least one/);
  const r = new Registry();
  r.counter("same_total", "x");
  throws(() => r.counter("same_total", "x"), /already registered/);
});

Deno.test("gauges may read their value when the registry is written out", () => {
  const r = new Registry();
  let n = 3;
  r.gauge("t_things", "x", [], (g) => g.labels().set(n));
  equal(sampleValue(parseExposition(r.expose()), "t_things"), 3);
  n = 5;
  equal(sampleValue(parseExposition(r.expose()), "t_things"), 5);
});

Deno.test("values and label escapes follow the format", () => {
  deepEqual(
    [Infinity, -Infinity, NaN, 1.5, 0].map(formatValue),
    ["+Inf", "-Inf", "NaN", "1.5", "0"],
  );
  equal(escapeLabel('a\\b"c\nd'), 'a\\\\b\\"c\\nd');
});

Deno.test("the test parser refuses what the format does not allow", () => {
  throws(() => parseExposition("x 1"), /end with/);
  throws(() => parseExposition("x{a=1} 1\n"), /not quoted/);
  throws(() => parseExposition("x one\n"), /bad sample value/);
  throws(() => parseExposition("x 1\nx 2\n"), /series twice/);
  throws(() => parseExposition('# TYPE x histogram\nx_bucket{le="1"} 1\nx_sum 1\nx_count 1\n'));
});
