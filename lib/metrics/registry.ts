/**
 * A small in-process metrics registry: counters, gauges and histograms with fixed buckets, each
 * with a fixed list of label names, written out in the Prometheus text exposition format 0.0.4.
 *
 * ```ts
 * const registry = new Registry();
 * const requests = registry.counter("app_requests_total", "Requests answered.", ["route"]);
 * requests.labels("/api/orders").inc();
 * registry.expose(); // "# HELP app_requests_total Requests answered.\n# TYPE ..."
 * ```
 *
 * Written by hand rather than taken from prom-client: that library expects Node's `process` and
 * `cluster`, and it joins the label values into a string key on every call, which is an
 * allocation per request on the HTTP hot path. Here `labels(a, b, c)` walks one nested `Map`
 * per label (positional arguments, no rest array), so a known series costs a few map lookups.
 * Label values must come from bounded sets (route patterns, job names, enum values), never
 * from raw input: every distinct tuple is a series kept for the life of the process.
 *
 * @module
 */

/** At most this many labels per metric, so `labels` can take positional arguments. */
export const MAX_LABELS = 4;

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

type Kind = "counter" | "gauge" | "histogram";

/** One series of a counter. */
export interface CounterSeries {
  inc(by?: number): void;
  readonly value: number;
}

/** One series of a gauge. */
export interface GaugeSeries {
  set(value: number): void;
  inc(by?: number): void;
  dec(by?: number): void;
  readonly value: number;
}

/** One series of a histogram. */
export interface HistogramSeries {
  observe(value: number): void;
  /** Observations per bucket, not cumulative; the last entry counts those above every bound. */
  readonly counts: Float64Array;
  readonly sum: number;
  readonly count: number;
}

class CounterValue implements CounterSeries {
  value = 0;
  constructor(readonly labelValues: readonly string[]) {}
  inc(by = 1): void {
    // A counter only goes up; a negative step is a caller's bug, not a reset.
    if (by > 0) this.value += by;
  }
}

class GaugeValue implements GaugeSeries {
  value = 0;
  constructor(readonly labelValues: readonly string[]) {}
  set(value: number): void {
    this.value = value;
  }
  inc(by = 1): void {
    this.value += by;
  }
  dec(by = 1): void {
    this.value -= by;
  }
}

class HistogramValue implements HistogramSeries {
  readonly counts: Float64Array;
  sum = 0;
  count = 0;
  constructor(readonly labelValues: readonly string[], readonly bounds: readonly number[]) {
    this.counts = new Float64Array(bounds.length + 1);
  }
  observe(value: number): void {
    if (Number.isNaN(value)) return;
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && value > bounds[i]) i++;
    this.counts[i]++;
    this.sum += value;
    this.count++;
  }
}

type AnySeries = CounterValue | GaugeValue | HistogramValue;

/** What every metric shares: its name, help, labels and its series by label values. */
abstract class Metric<S extends AnySeries> {
  readonly #root = new Map<string, unknown>();
  #unlabelled: S | undefined;
  readonly #all: S[] = [];

  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly string[],
    readonly kind: Kind,
  ) {
    if (!NAME.test(name)) throw new Error(`metric name ${JSON.stringify(name)} is not valid`);
    if (labelNames.length > MAX_LABELS) {
      throw new Error(`${name}: at most ${MAX_LABELS} labels, got ${labelNames.length}`);
    }
    for (const l of labelNames) {
      if (!LABEL.test(l) || l.startsWith("__") || l === "le") {
        throw new Error(`${name}: label name ${JSON.stringify(l)} is not allowed`);
      }
    }
    if (new Set(labelNames).size !== labelNames.length) {
      throw new Error(`${name}: label names repeat`);
    }
  }

  protected abstract create(values: readonly string[]): S;

  /** Every series created so far, in creation order. */
  get series(): readonly S[] {
    return this.#all;
  }

  /** The series for these label values, in the order of `labelNames`; created on first use. */
  protected find(a?: string, b?: string, c?: string, d?: string): S {
    const n = this.labelNames.length;
    if (n === 0) return this.#unlabelled ??= this.#add([]);
    // Walk one map per label; only a new series allocates.
    let level: Map<string, unknown> = this.#root;
    for (let i = 0; i < n - 1; i++) {
      const v = i === 0 ? a : i === 1 ? b : c;
      if (v === undefined) throw this.#missing(i);
      let next = level.get(v) as Map<string, unknown> | undefined;
      if (!next) {
        next = new Map();
        level.set(v, next);
      }
      level = next;
    }
    const last = n === 1 ? a : n === 2 ? b : n === 3 ? c : d;
    if (last === undefined) throw this.#missing(n - 1);
    let found = level.get(last) as S | undefined;
    if (!found) {
      found = this.#add([a, b, c, d].slice(0, n) as string[]);
      level.set(last, found);
    }
    return found;
  }

  #add(values: string[]): S {
    const s = this.create(values);
    this.#all.push(s);
    return s;
  }

  #missing(i: number): Error {
    return new Error(`${this.name}: no value for label ${this.labelNames[i]}`);
  }

  /** Drops every series (tests; never on a live registry, counters must not go back). */
  reset(): void {
    this.#root.clear();
    this.#unlabelled = undefined;
    this.#all.length = 0;
  }
}

export class Counter extends Metric<CounterValue> {
  constructor(name: string, help: string, labelNames: readonly string[] = []) {
    super(name, help, labelNames, "counter");
  }
  protected create(values: readonly string[]): CounterValue {
    return new CounterValue(values);
  }
  labels(a?: string, b?: string, c?: string, d?: string): CounterSeries {
    return this.find(a, b, c, d);
  }
}

export class Gauge extends Metric<GaugeValue> {
  #collect?: (gauge: Gauge) => void;
  constructor(
    name: string,
    help: string,
    labelNames: readonly string[] = [],
    /** Called before each exposition, to read a value kept elsewhere (memory, uptime). */
    collect?: (gauge: Gauge) => void,
  ) {
    super(name, help, labelNames, "gauge");
    this.#collect = collect;
  }
  protected create(values: readonly string[]): GaugeValue {
    return new GaugeValue(values);
  }
  labels(a?: string, b?: string, c?: string, d?: string): GaugeSeries {
    return this.find(a, b, c, d);
  }
  /** @internal The registry calls this before writing the gauge out. */
  _collect(): void {
    this.#collect?.(this);
  }
}

/** Latency in seconds, from 5 ms to 10 s: the default buckets of Prometheus' own clients. */
export const LATENCY_BUCKETS: readonly number[] = [
  0.005,
  0.01,
  0.025,
  0.05,
  0.1,
  0.25,
  0.5,
  1,
  2.5,
  5,
  10,
];

export class Histogram extends Metric<HistogramValue> {
  readonly buckets: readonly number[];
  constructor(
    name: string,
    help: string,
    labelNames: readonly string[] = [],
    buckets: readonly number[] = LATENCY_BUCKETS,
  ) {
    super(name, help, labelNames, "histogram");
    if (buckets.length === 0) throw new Error(`${name}: a histogram needs at least one bucket`);
    for (let i = 0; i < buckets.length; i++) {
      if (!Number.isFinite(buckets[i]) || (i > 0 && buckets[i] <= buckets[i - 1])) {
        throw new Error(`${name}: buckets must be finite and strictly increasing`);
      }
    }
    this.buckets = [...buckets];
  }
  protected create(values: readonly string[]): HistogramValue {
    return new HistogramValue(values, this.buckets);
  }
  labels(a?: string, b?: string, c?: string, d?: string): HistogramSeries {
    return this.find(a, b, c, d);
  }
}

export type AnyMetric = Counter | Gauge | Histogram;

/** A set of metrics with unique names, written out together. */
export class Registry {
  readonly #metrics = new Map<string, AnyMetric>();

  /** Adds `metric`; throws when another one already has its name. */
  register<M extends AnyMetric>(metric: M): M {
    if (this.#metrics.has(metric.name)) {
      throw new Error(`a metric named ${metric.name} is already registered`);
    }
    this.#metrics.set(metric.name, metric);
    return metric;
  }

  counter(name: string, help: string, labelNames: readonly string[] = []): Counter {
    return this.register(new Counter(name, help, labelNames));
  }

  gauge(
    name: string,
    help: string,
    labelNames: readonly string[] = [],
    collect?: (gauge: Gauge) => void,
  ): Gauge {
    return this.register(new Gauge(name, help, labelNames, collect));
  }

  histogram(
    name: string,
    help: string,
    labelNames: readonly string[] = [],
    buckets?: readonly number[],
  ): Histogram {
    return this.register(new Histogram(name, help, labelNames, buckets));
  }

  get(name: string): AnyMetric | undefined {
    return this.#metrics.get(name);
  }

  get metrics(): AnyMetric[] {
    return [...this.#metrics.values()];
  }

  /** Every metric in the text exposition format 0.0.4, in registration order. */
  expose(): string {
    const out: string[] = [];
    for (const m of this.#metrics.values()) {
      if (m instanceof Gauge) m._collect();
      out.push(`# HELP ${m.name} ${escapeHelp(m.help)}`, `# TYPE ${m.name} ${m.kind}`);
      if (m instanceof Histogram) {
        for (const s of m.series) writeHistogram(out, m, s as HistogramValue);
      } else {
        for (const s of m.series as readonly (CounterValue | GaugeValue)[]) {
          const pairs = labelPairs(m.labelNames, s);
          out.push(`${m.name}${pairs ? `{${pairs}}` : ""} ${formatValue(s.value)}`);
        }
      }
    }
    return out.join("\n") + "\n";
  }
}

/** The `Content-Type` of `Registry.expose()`. */
export const EXPOSITION_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

function writeHistogram(out: string[], m: Histogram, s: HistogramValue): void {
  const pairs = labelPairs(m.labelNames, s);
  const open = pairs ? `${m.name}_bucket{${pairs},le="` : `${m.name}_bucket{le="`;
  let cumulative = 0;
  for (let i = 0; i <= m.buckets.length; i++) {
    cumulative += s.counts[i];
    const le = i < m.buckets.length ? formatValue(m.buckets[i]) : "+Inf";
    out.push(`${open}${le}"} ${formatValue(cumulative)}`);
  }
  const labels = pairs ? `{${pairs}}` : "";
  out.push(`${m.name}_sum${labels} ${formatValue(s.sum)}`);
  out.push(`${m.name}_count${labels} ${formatValue(s.count)}`);
}

/** `a="x",b="y"` for a series, built once: its label values never change. */
const pairsOf = new WeakMap<AnySeries, string>();
function labelPairs(names: readonly string[], s: AnySeries): string {
  let text = pairsOf.get(s);
  if (text === undefined) {
    text = names.map((n, i) => `${n}="${escapeLabel(s.labelValues[i])}"`).join(",");
    pairsOf.set(s, text);
  }
  return text;
}

/** Label values escape backslash, double quote and line feed (format 0.0.4). */
export function escapeLabel(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

/** HELP text escapes backslash and line feed only. */
function escapeHelp(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}

/** A sample value as Go's ParseFloat reads it: `+Inf`, `-Inf`, `NaN` or a decimal number. */
export function formatValue(v: number): string {
  if (v === Infinity) return "+Inf";
  if (v === -Infinity) return "-Inf";
  if (Number.isNaN(v)) return "NaN";
  return String(v);
}
