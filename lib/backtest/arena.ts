/**
 * Typed arrays carved out of one ArrayBuffer. Creating a typed array costs about a microsecond
 * whatever its size (its backing store is allocated, zeroed and registered with the garbage
 * collector), while a view into an existing buffer costs a tenth of that: a run over one
 * symbol's history needs a dozen arrays and its whole loop takes tens of microseconds, so the
 * allocations alone were a large part of it. Views are zero-filled like fresh arrays.
 *
 * The buffer holds one region per element size (Float64, then Int32, then bytes), so views of
 * any kind can be taken in any order and each starts aligned. A region that runs out hands out
 * fresh arrays instead: a wrong count costs speed, never a result.
 *
 * ```ts
 * const a = new Arena({ f64: 3 * n, i32: S, u8: n });
 * const equity = a.f64(n);
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

export class Arena {
  readonly #buf: ArrayBuffer;
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

  /** Room for that many elements of each kind. */
  constructor(size: ArenaSize) {
    this.#f64 = 0;
    this.#f64End = this.#i32 = 8 * (size.f64 ?? 0);
    this.#i32End = this.#u8 = this.#i32 + 4 * (size.i32 ?? 0);
    this.#u8End = this.#u8 + (size.u8 ?? 0);
    this.#buf = new ArrayBuffer(this.#u8End);
  }

  f64(n: number): Float64Array {
    if (this.#f64 + 8 * n > this.#f64End) return new Float64Array(n);
    const a = new Float64Array(this.#buf, this.#f64, n);
    this.#f64 += 8 * n;
    return a;
  }

  i32(n: number): Int32Array {
    if (this.#i32 + 4 * n > this.#i32End) return new Int32Array(n);
    const a = new Int32Array(this.#buf, this.#i32, n);
    this.#i32 += 4 * n;
    return a;
  }

  /** Byte views, each starting on a 4-byte boundary (signals are OR-ed a word at a time). */
  u8(n: number): Uint8Array {
    if (this.#u8 + n > this.#u8End) return new Uint8Array(n);
    const a = new Uint8Array(this.#buf, this.#u8, n);
    this.#u8 += Arena.padded(n);
    return a;
  }
}
