/**
 * Hono's router with the answers it gave remembered per method and path. The app's routes do
 * not fit Hono's RegExpRouter (it refuses some of their parameter layouts), so its SmartRouter
 * settles on the TrieRouter, whose search walked the tree on every request: about 5 % of a
 * cached quote's CPU. A browser asks for the same few paths again and again, so the second
 * time a path is one map lookup. Hono only reads a match (RegExpRouter hands every request for
 * a static path the same one), so sharing it between requests is safe.
 *
 * Bounded: only paths up to `MAX_PATH` characters are remembered (the app's own are far
 * shorter), and past `max` of them the map starts afresh, so a client walking through made-up
 * paths costs the search it always did and at most `max` short keys.
 */
import type { Result, Router } from "hono/router";
import { TrieRouter } from "hono/router/trie-router";

/** Longest path remembered; longer ones are searched every time. */
export const MAX_PATH = 200;

export class CachedRouter<T> implements Router<T> {
  readonly name = "CachedRouter";
  readonly #inner: Router<T>;
  readonly #seen = new Map<string, Result<T>>();
  readonly #max: number;

  constructor(inner: Router<T> = new TrieRouter<T>(), max = 2_000) {
    this.#inner = inner;
    this.#max = max;
  }

  /** How many matches are remembered. */
  get size(): number {
    return this.#seen.size;
  }

  add(method: string, path: string, handler: T): void {
    this.#inner.add(method, path, handler);
    this.#seen.clear();
  }

  match(method: string, path: string): Result<T> {
    if (path.length > MAX_PATH) return this.#inner.match(method, path);
    const key = `${method} ${path}`;
    let result = this.#seen.get(key);
    if (result === undefined) {
      result = this.#inner.match(method, path);
      if (this.#seen.size >= this.#max) this.#seen.clear();
      this.#seen.set(key, result);
    }
    return result;
  }
}
