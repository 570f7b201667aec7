/**
 * Delivers new notifications to the open connections of their users, whichever instance (or
 * database trigger) stored them.
 *
 * One poller per instance reads the rows added since the last read, and runs only while some
 * connection listens. Identity values are handed out before commit, so a row can become
 * visible after one with a higher id: each read looks back `LOOKBACK` ids and skips those
 * already delivered. `kick()` reads at once, for the producer that just stored one here.
 */
import type { Database } from "../db/database.ts";
import type { Logger } from "../log.ts";
import {
  newestNotificationId,
  type Notification,
  notificationsAfter,
  unreadCount,
} from "./repo.ts";

export interface Delivery {
  notification: Notification;
  /** The user's unread count after it. */
  unread: number;
}

export type DeliveryListener = (d: Delivery) => void;

export const POLL_MS = 250;
const LOOKBACK = 256;

export class NotificationCenter {
  readonly #db: Database;
  readonly #log?: Logger;
  readonly #pollMs: number;
  readonly #listeners = new Map<number, Set<DeliveryListener>>();
  #cursor: number | null = null;
  readonly #seen = new Set<number>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #running: Promise<void> | null = null;
  #again = false;
  #closed = false;

  constructor(db: Database, opts: { log?: Logger; pollMs?: number } = {}) {
    this.#db = db;
    this.#log = opts.log;
    this.#pollMs = opts.pollMs ?? POLL_MS;
  }

  /** Calls `fn` with each notification for `userId` stored from now on, until unsubscribed. */
  subscribe(userId: number, fn: DeliveryListener): () => void {
    let set = this.#listeners.get(userId);
    if (!set) this.#listeners.set(userId, set = new Set());
    set.add(fn);
    this.#schedule(0);
    return () => {
      set.delete(fn);
      if (set.size === 0 && this.#listeners.get(userId) === set) this.#listeners.delete(userId);
    };
  }

  /** How many connections listen (for health and tests). */
  get listeners(): number {
    let n = 0;
    for (const set of this.#listeners.values()) n += set.size;
    return n;
  }

  /** Reads now: a notification was just stored by this instance. */
  kick(): void {
    if (this.#listeners.size > 0) this.#schedule(0);
  }

  close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    return this.#running ?? Promise.resolve();
  }

  #schedule(ms: number): void {
    if (this.#closed) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#running = this.#poll().finally(() => {
        this.#running = null;
        if (this.#listeners.size === 0) return;
        const next = this.#again ? 0 : this.#pollMs;
        this.#again = false;
        this.#schedule(next);
      });
    }, ms);
    Deno.unrefTimer(this.#timer);
  }

  async #poll(): Promise<void> {
    try {
      if (this.#cursor === null) {
        this.#cursor = await newestNotificationId(this.#db);
        return;
      }
      const rows = await notificationsAfter(this.#db, Math.max(0, this.#cursor - LOOKBACK));
      const fresh = rows.filter((r) => r.id > this.#cursor! - LOOKBACK && !this.#seen.has(r.id));
      if (fresh.length === 0) return;
      for (const r of fresh) {
        this.#seen.add(r.id);
        if (r.id > this.#cursor) this.#cursor = r.id;
      }
      for (const id of this.#seen) if (id <= this.#cursor - LOOKBACK) this.#seen.delete(id);
      const users = new Set(fresh.map((r) => r.userId).filter((u) => this.#listeners.has(u)));
      const unread = new Map<number, number>();
      await Promise.all([...users].map(async (u) => unread.set(u, await unreadCount(this.#db, u))));
      for (const { userId, ...notification } of fresh) {
        const set = this.#listeners.get(userId);
        if (!set) continue;
        for (const fn of set) {
          try {
            fn({ notification, unread: unread.get(userId) ?? 0 });
          } catch (err) {
            this.#log?.warn("notification listener failed", { error: (err as Error).message });
          }
        }
      }
    } catch (err) {
      if (!this.#closed) {
        this.#log?.warn("notification poll failed", { error: (err as Error).message });
      }
    }
  }
}
