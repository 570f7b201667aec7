/**
 * Fills working paper orders as prices move: follows the live quotes (through the app's
 * StreamHub, so a symbol already streamed to browsers costs no extra upstream subscription) of
 * every symbol with a working order (an option order's underlying), and tries those orders on
 * each quote; option orders are priced from their chains at that moment. The cron job's
 * `sync` is the safety net for anything a stream misses (a restart, a quiet symbol).
 *
 * @module
 */
import type { Logger } from "../../log.ts";
import type { HubClient, StreamHub } from "../../market/stream_hub.ts";
import type { Quote } from "../../market/types.ts";
import type { OrderRow } from "../orders_repo.ts";
import type { PaperBroker } from "./broker.ts";

/** How long the session state (open or not) is trusted before asking the clock again. */
const CLOCK_TTL_MS = 5_000;

export class PaperMatcher {
  #client: HubClient | null = null;
  #running = new Map<string, Promise<void>>();
  #pending = new Map<string, Quote>();
  #clock: { open: boolean; at: number } | null = null;
  #loop: Promise<void> | null = null;
  /** Called after each pass over a quote's orders has finished (tests wait on it). */
  onPass?: (quote: Quote) => void;

  constructor(
    readonly broker: PaperBroker,
    readonly hub: StreamHub,
    readonly log?: Logger,
  ) {}

  /** Follows the symbols of orders already working, and those of every new one. */
  async start(): Promise<void> {
    this.#client = this.hub.subscribe([]);
    this.broker.onWorking = (symbol) => this.follow(symbol);
    const symbols = await this.broker.workingSymbols();
    if (symbols.length) this.#client.subscribe(symbols);
    this.#loop = this.#run(this.#client);
  }

  follow(symbol: string): void {
    if (this.#client && !this.#client.symbols.includes(symbol)) this.#client.subscribe([symbol]);
  }

  async #run(client: HubClient): Promise<void> {
    for await (const batch of client) {
      for (const e of batch) {
        if (e.event.type === "quote") this.#offer(e.event.quote);
      }
    }
  }

  /** One pass per symbol at a time; a quote arriving meanwhile waits, newest wins. */
  #offer(quote: Quote): void {
    if (this.#running.has(quote.symbol)) {
      this.#pending.set(quote.symbol, quote);
      return;
    }
    const pass = this.#match(quote).catch((err) =>
      this.log?.error("paper matcher failed", { symbol: quote.symbol, error: String(err) })
    ).finally(() => {
      this.#running.delete(quote.symbol);
      this.onPass?.(quote);
      const next = this.#pending.get(quote.symbol);
      if (next) {
        this.#pending.delete(quote.symbol);
        this.#offer(next);
      }
    });
    this.#running.set(quote.symbol, pass);
  }

  async #sessionOpen(): Promise<boolean> {
    const now = Date.now();
    if (!this.#clock || now - this.#clock.at > CLOCK_TTL_MS) {
      const clock = await this.broker.market.clock();
      this.#clock = { open: clock.state === "open", at: now };
    }
    return this.#clock.open;
  }

  async #match(quote: Quote): Promise<void> {
    const rows = await this.broker.db.query<OrderRow>(
      `select * from orders where broker = 'paper' and symbol = $1 and asset_class = 'us_equity'
         and status in ('accepted', 'new', 'partially_filled') order by created_at`,
      [quote.symbol],
    );
    const open = await this.#sessionOpen();
    for (const row of rows) await this.broker.matchOne(row, quote, open);
    const options = await this.broker.matchOptionOrders(quote.symbol, open);
    if (rows.length === 0 && options === 0) this.#client?.unsubscribe([quote.symbol]);
  }

  /** Resolves when every pass in flight has finished (tests wait on it). */
  async idle(): Promise<void> {
    while (this.#running.size) await Promise.all(this.#running.values());
  }

  async close(): Promise<void> {
    this.#client?.close();
    this.#client = null;
    this.broker.onWorking = undefined;
    await this.idle();
    await this.#loop;
  }
}
