/**
 * Typed arrays carved out of one ArrayBuffer. Creating a typed array costs about a microsecond
 * whatever its size (its backing store is allocated, zeroed and registered with the garbage
 * collector), while a view into an existing buffer costs a tenth of that: a run over one
 * symbol's history needs a dozen arrays and its whole loop takes tens of microseconds, so the
 * allocations alone were a large part of it.
 *
 * The buffer holds one region per element size (Float64, then Int32, then bytes), so views of
 * any kind can be taken in any order and each starts aligned. A region that runs out hands out
 * fresh arrays instead: a wrong count costs speed, never a result.
 *
 * A fresh buffer of ~100 KB still costs ~20 µs (the memory is new to the process, so every page
 * is faulted in on first touch), more than a one-symbol run's loop. `Arena.take` therefore hands
 * out a buffer a finished run gave back (`release`) when one of the same size is free: views are
 * zero-filled as they are taken, like fresh arrays, unless the caller says it writes every
 * element (`f64(n, false)`). `release` detaches the buffer (`ArrayBuffer.prototype.transfer`
 * moves the memory into a new one without copying), so every view the run handed out reads as
 * empty afterwards instead of showing the next run's numbers, and no two arenas ever share it.
 *
 * ```ts
 * const a = Arena.take({ f64: 3 * n, i32: S, u8: n });
 * const equity = a.f64(n);
 * // … once nothing reads the views any more:
 * a.release();
 * ```
 *
 * @module
 */
export interface ArenaSize {
  f64?: number;
  i32?: number;
  /** Bytes; each byte view starts on a 4-byte boundary, so count each as `Arena.padded(n)`. */
  u8?: number;
}

/** Buffers given back, by byte length; at most POOL_BYTES in all, dropped beyond. */
const pool = new Map<number, ArrayBuffer[]>();
let pooledBytes = 0;
// A sweep reuses one size; a few jobs in flight add a few. 32 MB is a 107-stock run's arena
// about eight times over, and is all the pool ever keeps alive.
const POOL_BYTES = 32 << 20;

export class Arena {
  readonly #buf: ArrayBuffer;
  /** The buffer was used before: views must be cleared as they are taken. */
  readonly #dirty: boolean;
  #f64: number;
  readonly #f64End: number;
  #i32: number;
  readonly #i32End: number;
  #u8: number;
  readonly #u8End: number;

  /** A byte view's room: n rounded up to whole 4-byte words. */
  static padded(n: number): number {
    return (n + 3) & ~3;
  }

  /** An arena on a released buffer of the same size when the pool has one, else a fresh one. */
  static take(size: ArenaSize): Arena {
    const list = pool.get(Arena.bytes(size));
    const buf = list?.pop();
    if (!buf) return new Arena(size);
    pooledBytes -= buf.byteLength;
    return new Arena(size, buf);
  }

  /** Buffers waiting in the pool (for tests). */
  static pooled(): number {
    let n = 0;
    for (const list of pool.values()) n += list.length;
    return n;
  }

  static bytes(size: ArenaSize): number {
    return 8 * (size.f64 ?? 0) + 4 * (size.i32 ?? 0) + (size.u8 ?? 0);
  }

  /**
   * Room for that many elements of each kind, on a fresh buffer (zero-filled). `reuse` is for
   * `take` alone: a released buffer of exactly `Arena.bytes(size)` bytes.
   */
  constructor(size: ArenaSize, reuse?: ArrayBuffer) {
    this.#f64 = 0;
    this.#f64End = this.#i32 = 8 * (size.f64 ?? 0);
    this.#i32End = this.#u8 = this.#i32 + 4 * (size.i32 ?? 0);
    this.#u8End = this.#u8 + (size.u8 ?? 0);
    this.#dirty = reuse !== undefined;
    this.#buf = reuse ?? new ArrayBuffer(this.#u8End);
  }

  /** `zero = false`: the caller writes every element, so stale values need no clearing. */
  f64(n: number, zero = true): Float64Array {
    if (this.#f64 + 8 * n > this.#f64End) return new Float64Array(n);
    const a = new Float64Array(this.#buf, this.#f64, n);
    this.#f64 += 8 * n;
    return zero && this.#dirty ? a.fill(0) : a;
  }

  i32(n: number, zero = true): Int32Array {
    if (this.#i32 + 4 * n > this.#i32End) return new Int32Array(n);
    const a = new Int32Array(this.#buf, this.#i32, n);
    this.#i32 += 4 * n;
    return zero && this.#dirty ? a.fill(0) : a;
  }

  /** Byte views, each starting on a 4-byte boundary (signals are OR-ed a word at a time). */
  u8(n: number, zero = true): Uint8Array {
    if (this.#u8 + n > this.#u8End) return new Uint8Array(n);
    const a = new Uint8Array(this.#buf, this.#u8, n);
    this.#u8 += Arena.padded(n);
    return zero && this.#dirty ? a.fill(0) : a;
  }

  /**
   * Gives the buffer back for a later `take`. Every view taken from this arena is detached
   * (length 0) from here on; so is the arena. Releasing twice does nothing.
   */
  release(): void {
    if (this.#buf.detached) return;
    const buf = this.#buf.transfer();
    if (pooledBytes + buf.byteLength > POOL_BYTES) return;
    const list = pool.get(buf.byteLength);
    if (list) list.push(buf);
    else pool.set(buf.byteLength, [buf]);
    pooledBytes += buf.byteLength;
  }
}
