/**
 * Evaluates every active alert, whether or not anyone has a page open.
 *
 * - Quote conditions (price, % move, volume) on every streamed quote: one hub client follows
 *   every symbol that has an alert, so the shared stream hub keeps one upstream subscription
 *   per symbol however many alerts and pages watch it, and a hub tap hands over each quote
 *   (a burst is judged quote by quote, not collapsed to its newest).
 * - Bar conditions (RSI, SMA) by `evaluateAll`, which the one-minute job runs; it re-checks
 *   the quote conditions against the latest quote too, in case a stream was down.
 *
 * The database decides: firing and re-arming are conditional on the version this instance saw
 * (lib/alerts/repo.ts), so with several instances an alert fires once per crossing. An
 * instance that loses such a write re-reads the alert. Changes made through the API on any
 * instance reach the others through a KV epoch (lib/kv_epoch.ts) within a fraction of a second.
 *
 * @module
 */
import type { Database } from "../db/database.ts";
import type { Logger } from "../log.ts";
import { KvEpoch } from "../kv_epoch.ts";
import { completedDailyBars } from "../market/completed_bars.ts";
import type { HubClient, StreamHub } from "../market/stream_hub.ts";
import type { MarketData, Quote } from "../market/types.ts";
import { replayDay } from "../shared/market_day.ts";
import { rsi, sma } from "../analytics/indicators.ts";
import type { NotificationCenter } from "../notifications/center.ts";
import {
  advance,
  DEFAULT_PERIOD,
  describe,
  describeValue,
  type Observation,
  QUOTE_CONDITIONS,
  step,
  valueOf,
} from "./conditions.ts";
import { activeAlerts, type Alert, alertById, fireAlert, rearmAlert } from "./repo.ts";

export const ALERTS_EPOCH_KEY: Deno.KvKey = ["alerts", "epoch"];

export interface AlertEngineDeps {
  db: Database;
  kv: Deno.Kv;
  market: MarketData;
  streams: StreamHub;
  notifications?: NotificationCenter;
  log?: Logger;
}

/** An instance's engine at a glance (the health report). */
export interface AlertEngineStats {
  started: boolean;
  following: number;
  alerts: number;
  /** Quotes judged against at least one alert. */
  judged: number;
  fired: number;
  rearmed: number;
  /** Writes another instance (or a change by the user) beat. */
  lost: number;
}

/** What one evaluation did, for the job's log line and for tests. */
export interface EvaluationReport {
  fired: number;
  rearmed: number;
  lost: number;
}

export class AlertEngine {
  readonly #deps: AlertEngineDeps;
  /** symbol → alert id → alert, the active ones only. */
  #bySymbol = new Map<string, Map<number, Alert>>();
  /** Per alert, its last write: writes of one alert land in the order of its quotes. */
  readonly #chains = new Map<number, Promise<unknown>>();
  /** Alert objects whose write another instance beat; replaced by a fresh read. */
  readonly #stale = new WeakSet<Alert>();
  readonly #writes = new Set<Promise<unknown>>();
  /** symbol → its average daily volume, per exchange day. */
  readonly #avgVolume = new Map<string, { key: string; value: number | null }>();
  readonly #epoch: KvEpoch;
  /** Holds the symbols' upstream subscriptions open; the quotes come through the tap. */
  #client: HubClient | null = null;
  #untap: (() => void) | null = null;
  #started = false;
  #closed = false;
  #reloading: Promise<void> | null = null;
  #reloadAgain = false;
  /** Fired by this instance since start (for tests and health). */
  fired = 0;

  constructor(deps: AlertEngineDeps) {
    this.#deps = deps;
    this.#epoch = new KvEpoch(deps.kv, ALERTS_EPOCH_KEY, () => void this.reload());
  }

  /** Loads the active alerts and starts following their symbols. */
  async start(): Promise<void> {
    if (this.#started || this.#closed) return;
    this.#started = true;
    this.#epoch.start();
    await this.reload();
  }

  get started(): boolean {
    return this.#started;
  }

  /** Symbols followed now. */
  get symbols(): string[] {
    return [...this.#bySymbol.keys()];
  }

  stats(): AlertEngineStats {
    let alerts = 0;
    for (const m of this.#bySymbol.values()) alerts += m.size;
    return {
      started: this.#started,
      following: this.#bySymbol.size,
      alerts,
      judged: this.#judged,
      ...this.#counts,
    };
  }

  /** Call after any change to alerts: this instance reloads now, the others within a second. */
  async changed(): Promise<void> {
    await this.#epoch.bump();
    if (this.#started) await this.reload();
  }

  /** Re-reads the active alerts from the database. Concurrent calls share one read. */
  reload(): Promise<void> {
    if (this.#closed || !this.#started) return Promise.resolve();
    if (this.#reloading) {
      this.#reloadAgain = true;
      return this.#reloading;
    }
    this.#reloading = (async () => {
      do {
        this.#reloadAgain = false;
        try {
          const alerts = await activeAlerts(this.#deps.db);
          const next = new Map<string, Map<number, Alert>>();
          for (const a of alerts) {
            let m = next.get(a.symbol);
            if (!m) next.set(a.symbol, m = new Map());
            m.set(a.id, this.#newer(a));
          }
          this.#bySymbol = next;
          this.#follow([...next.keys()]);
        } catch (err) {
          if (!this.#closed) {
            this.#deps.log?.warn("alerts reload failed", { error: (err as Error).message });
          }
        }
      } while (this.#reloadAgain && !this.#closed);
    })().finally(() => this.#reloading = null);
    return this.#reloading;
  }

  /**
   * The alert as read, or this instance's own copy when that is as new or newer: a read that
   * began before one of its writes committed returns the alert as it was, and taking that would
   * undo a firing or re-arming judged meanwhile (and then miss the next crossing). A version
   * only ever grows, and every change (a firing, a re-arm, an edit) moves it on; a copy whose
   * write failed is stale and gives way to the read.
   */
  #newer(read: Alert): Alert {
    const mine = this.#bySymbol.get(read.symbol)?.get(read.id);
    return mine && mine.version >= read.version && !this.#stale.has(mine) ? mine : read;
  }

  /** Waits for the writes in flight (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.#writes.size > 0) await Promise.allSettled([...this.#writes]);
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#epoch.close();
    this.#untap?.();
    this.#client?.close();
    await this.#reloading;
    await this.settled();
  }

  /** Subscribes the hub client to exactly `symbols`. */
  #follow(symbols: string[]): void {
    if (symbols.length === 0 && !this.#client) return;
    if (!this.#client) {
      this.#client = this.#deps.streams.subscribe([]);
      // Every quote, not the newest of a burst: a spike through the level is a crossing too.
      this.#untap = this.#deps.streams.tap((e) => {
        if (e.event.type === "quote") this.onQuote(e.event.quote);
      });
    }
    const now = new Set(this.#client.symbols);
    const wanted = new Set(symbols);
    const gone = [...now].filter((s) => !wanted.has(s));
    const added = symbols.filter((s) => !now.has(s));
    if (gone.length) this.#client.unsubscribe(gone);
    if (added.length) this.#client.subscribe(added);
  }

  /** Evaluates the quote conditions of the quote's symbol. Synchronous up to the writes. */
  onQuote(quote: Quote): void {
    const alerts = this.#bySymbol.get(quote.symbol);
    if (!alerts || alerts.size === 0) return;
    this.#latest.set(quote.symbol, quote);
    this.#judged++;
    const obs = this.#observe(quote, true);
    for (const alert of alerts.values()) {
      if (QUOTE_CONDITIONS.has(alert.condition)) this.#evaluate(alert, obs, quote);
    }
  }

  /**
   * Every active alert against the latest quote and, for bar conditions, the completed daily
   * bars: the one-minute job. Returns when the writes it started have landed.
   */
  async evaluateAll(): Promise<EvaluationReport> {
    if (!this.#started) await this.start();
    const before = { ...this.#counts };
    const symbols = [...this.#bySymbol.keys()];
    const quotes = symbols.length > 0
      ? await this.#deps.market.quotes(symbols).catch(() => [] as Quote[])
      : [];
    for (const polled of quotes) {
      // A cached quote can be older than one the stream already brought: judging it after the
      // newer one would re-arm (or fire) on a price that is gone.
      const streamed = this.#latest.get(polled.symbol);
      const quote = streamed && streamed.timestamp >= polled.timestamp ? streamed : polled;
      const alerts = this.#bySymbol.get(quote.symbol);
      if (!alerts) continue;
      const obs = this.#observe(quote, false);
      const needsBars = [...alerts.values()].some((a) => !QUOTE_CONDITIONS.has(a.condition));
      if (needsBars) await this.#addBarValues(quote, [...alerts.values()], obs);
      if (alerts.values().some((a) => a.condition === "volume_above")) {
        obs.averageVolume = await this.#averageVolume(quote);
      }
      for (const alert of alerts.values()) this.#evaluate(alert, obs, quote);
    }
    await this.settled();
    return {
      fired: this.#counts.fired - before.fired,
      rearmed: this.#counts.rearmed - before.rearmed,
      lost: this.#counts.lost - before.lost,
    };
  }

  #counts = { fired: 0, rearmed: 0, lost: 0 };
  #judged = 0;
  /** The newest streamed quote per followed symbol. */
  readonly #latest = new Map<string, Quote>();

  #observe(quote: Quote, fromStream: boolean): Observation {
    const mid = quote.bid != null && quote.ask != null ? (quote.bid + quote.ask) / 2 : null;
    const session = replayDay(quote) ?? quote.timestamp.slice(0, 10);
    const obs: Observation = {
      price: quote.last ?? mid,
      prevClose: quote.prevClose,
      volume: quote.volume,
      session,
    };
    const cached = this.#avgVolume.get(quote.symbol);
    if (cached?.key === session) obs.averageVolume = cached.value;
    else if (
      fromStream &&
      this.#bySymbol.get(quote.symbol)?.values().some((a) => a.condition === "volume_above")
    ) {
      // Learnt in the background; volume alerts wait for the next quote.
      void this.#averageVolume(quote);
    }
    return obs;
  }

  async #averageVolume(quote: Quote): Promise<number | null> {
    const session = replayDay(quote) ?? quote.timestamp.slice(0, 10);
    const cached = this.#avgVolume.get(quote.symbol);
    if (cached?.key === session) return cached.value;
    const days = Math.max(
      ...[...(this.#bySymbol.get(quote.symbol)?.values() ?? [])]
        .filter((a) => a.condition === "volume_above")
        .map((a) => a.period ?? DEFAULT_PERIOD.volume_above!),
      DEFAULT_PERIOD.volume_above!,
    );
    try {
      const bars = await completedDailyBars(this.#deps.market, quote, Math.ceil(days * 1.6) + 10);
      const recent = bars.bars.slice(-days);
      const value = recent.length > 0
        ? recent.reduce((s, b) => s + b.volume, 0) / recent.length
        : null;
      this.#avgVolume.set(quote.symbol, { key: session, value });
      return value;
    } catch {
      return null;
    }
  }

  async #addBarValues(quote: Quote, alerts: Alert[], obs: Observation): Promise<void> {
    const periods = alerts.filter((a) => !QUOTE_CONDITIONS.has(a.condition))
      .map((a) => a.period ?? DEFAULT_PERIOD[a.condition] ?? 14);
    const longest = Math.max(...periods);
    try {
      const bars = await completedDailyBars(
        this.#deps.market,
        quote,
        Math.ceil(longest * 1.6) + 30,
      );
      const closes = bars.bars.map((b) => b.close);
      // Today's price stands in for today's close: the condition is about now.
      if (obs.price !== null) closes.push(obs.price);
      (obs as Observation & { series?: number[] }).series = closes;
    } catch {
      // No bars: bar conditions stay undecided this minute.
    }
  }

  #evaluate(alert: Alert, base: Observation, quote: Quote): void {
    if (this.#stale.has(alert)) return;
    if (alert.expiresAt && Date.parse(alert.expiresAt) <= Date.now()) return;
    const obs = this.#withIndicators(alert, base);
    const s = step(alert, alert, obs);
    if (s === "none") return;
    // Only a quote newer than the one that fired it can say the price has gone back.
    if (
      s === "rearm" && alert.firedQuoteAt &&
      Date.parse(quote.timestamp) <= Date.parse(alert.firedQuoteAt)
    ) {
      return;
    }
    const value = valueOf(alert, obs);
    // The new state applies at once, so the next quote (a burst comes faster than a database
    // round trip) is judged against it; the writes follow in order, each expecting the
    // version before it. The first one another instance beat stops the rest (`#stale`).
    const expected = alert.version;
    Object.assign(alert, advance(alert, s, obs.session), { version: expected + 1 });
    if (s === "fire") {
      Object.assign(alert, {
        firedCount: alert.firedCount + 1,
        lastFiredValue: value,
        lastFiredAt: new Date().toISOString(),
        firedQuoteAt: quote.timestamp,
      });
    }
    const previous = this.#chains.get(alert.id) ?? Promise.resolve();
    const write = previous
      .then(() => {
        if (this.#stale.has(alert)) return;
        return s === "fire"
          ? this.#fire(alert, expected, obs, value!, quote)
          : this.#rearm(alert, expected);
      })
      .catch((err) => {
        this.#stale.add(alert);
        this.#deps.log?.warn("alert write failed", {
          alert_id: alert.id,
          error: (err as Error).message,
        });
        return this.#resync(alert).catch(() => {});
      })
      .finally(() => {
        this.#writes.delete(write);
        if (this.#chains.get(alert.id) === write) this.#chains.delete(alert.id);
      });
    this.#chains.set(alert.id, write);
    this.#writes.add(write);
  }

  /** The RSI or SMA the alert's period asks for, from the series the bar pass attached. */
  #withIndicators(alert: Alert, obs: Observation): Observation {
    const series = (obs as Observation & { series?: number[] }).series;
    if (!series || QUOTE_CONDITIONS.has(alert.condition)) return obs;
    const period = alert.period ?? DEFAULT_PERIOD[alert.condition] ?? 14;
    if (alert.condition === "rsi_below" || alert.condition === "rsi_above") {
      return { ...obs, rsi: rsi(series, period).at(-1) ?? null };
    }
    return { ...obs, sma: sma(series, period).at(-1) ?? null };
  }

  async #fire(
    alert: Alert,
    version: number,
    obs: Observation,
    value: number,
    quote: Quote,
  ): Promise<void> {
    const replay = quote.source === "replay";
    const result = await fireAlert(this.#deps.db, {
      alertId: alert.id,
      version,
      value,
      session: obs.session,
      quoteAt: quote.timestamp,
      title: `Alert: ${describe(alert.symbol, alert)}`,
      body: `Now ${describeValue(alert, value)}` +
        (replay ? ` (replayed prices of ${obs.session}, not live).` : ` at ${quote.timestamp}.`),
      link: `/symbol/${alert.symbol}`,
    });
    if (!result) return await this.#lost(alert);
    this.fired++;
    this.#counts.fired++;
    this.#deps.notifications?.kick();
  }

  async #rearm(alert: Alert, version: number): Promise<void> {
    if (await rearmAlert(this.#deps.db, alert.id, version) === null) return await this.#lost(alert);
    this.#counts.rearmed++;
  }

  async #lost(alert: Alert): Promise<void> {
    this.#stale.add(alert);
    this.#counts.lost++;
    await this.#resync(alert);
  }

  /** Another instance or the user changed the alert first: take the database's word for it. */
  async #resync(alert: Alert): Promise<void> {
    const fresh = await alertById(this.#deps.db, alert.id);
    const alerts = this.#bySymbol.get(alert.symbol);
    if (!alerts) return;
    if (!fresh || fresh.status !== "active") alerts.delete(alert.id);
    else if (alerts.get(alert.id) === alert) alerts.set(alert.id, fresh);
  }
}
