/**
 * Follows the requests a client sends on one HTTP/1.1 connection, just far enough to know when
 * it is inside a request's header block: header block, then a `Content-Length` body, then the
 * next request. A request whose body or stream it cannot follow this simply (chunked upload,
 * `Upgrade` to WebSocket, a malformed length) makes the rest of the connection opaque: those
 * bytes are no longer headers of ours to time, and the server itself rejects what is malformed.
 */
const HEADER_END = [13, 10, 13, 10];

/** Index just past the first `\r\n\r\n` in `bytes`, or -1. */
export function headerEnd(bytes: Uint8Array): number {
  // indexOf is native: it skips to each carriage return instead of testing every byte here.
  for (let i = bytes.indexOf(13); i !== -1 && i + 4 <= bytes.length; i = bytes.indexOf(13, i + 1)) {
    if (
      bytes[i + 1] === HEADER_END[1] && bytes[i + 2] === HEADER_END[2] &&
      bytes[i + 3] === HEADER_END[3]
    ) return i + 4;
  }
  return -1;
}

type FramerState = "idle" | "headers" | "body" | "opaque";

export class RequestFramer {
  #state: FramerState = "idle";
  #header: Uint8Array = new Uint8Array(0);
  #remaining = 0;
  /** Whether the request line of the request in its header block has ended. */
  #lineDone = false;
  /**
   * Offsets, in the bytes given to the last `feed`, just past the line feed that ends each
   * request line that ended in them: where the header-deadline front adds a header of its own.
   */
  readonly lineEnds: number[] = [];

  constructor(readonly maxHeaderBytes: number) {}

  /** True between the first byte of a request and the end of its header block. */
  get inHeaders(): boolean {
    return this.#state === "headers";
  }

  /** Takes the next bytes from the client; false when a header block grew past the limit. */
  feed(bytes: Uint8Array): boolean {
    this.lineEnds.length = 0;
    let i = 0;
    while (i < bytes.length && this.#state !== "opaque") {
      if (this.#state === "body") {
        const take = Math.min(this.#remaining, bytes.length - i);
        i += take;
        this.#remaining -= take;
        if (this.#remaining === 0) this.#state = "idle";
      } else if (this.#state === "idle") {
        // Stray line breaks between requests are allowed and ignored (RFC 9112, 2.2).
        if (bytes[i] === 13 || bytes[i] === 10) i++;
        else {
          this.#state = "headers";
          this.#lineDone = false;
        }
      } else {
        if (!this.#lineDone) {
          // A request line holds no line feed: the first one ends it.
          const lf = bytes.indexOf(10, i);
          if (lf !== -1) {
            this.#lineDone = true;
            this.lineEnds.push(lf + 1);
          }
        }
        // Most header blocks arrive whole in one read: search the caller's bytes in place and
        // copy only what must be kept for the next read (the caller may reuse its buffer).
        const rest = bytes.subarray(i);
        let combined: Uint8Array = rest;
        if (this.#header.length > 0) {
          combined = new Uint8Array(this.#header.length + rest.length);
          combined.set(this.#header);
          combined.set(rest, this.#header.length);
        }
        const end = headerEnd(combined);
        if (end === -1) {
          if (combined.length > this.maxHeaderBytes) return false;
          this.#header = combined === rest ? rest.slice() : combined;
          return true;
        }
        i += end - this.#header.length;
        this.#header = new Uint8Array(0);
        this.#afterHeaders(combined.subarray(0, end));
      }
    }
    return true;
  }

  /** Reads the three headers that decide what follows, from the bytes: no text is made. */
  #afterHeaders(head: Uint8Array): void {
    let length = 0;
    // Each header line starts after a line feed; the first line is the request line.
    for (let at = head.indexOf(10) + 1; at > 0 && at < head.length; at = head.indexOf(10, at) + 1) {
      const first = head[at] | 0x20;
      if (
        (first === 0x74 && nameAt(head, at, TRANSFER_ENCODING)) ||
        (first === 0x75 && nameAt(head, at, UPGRADE))
      ) {
        this.#state = "opaque";
        return;
      }
      if (first === 0x63 && nameAt(head, at, CONTENT_LENGTH)) {
        const value = valueAt(head, at + CONTENT_LENGTH.length);
        if (!/^\d{1,15}$/.test(value)) {
          this.#state = "opaque";
          return;
        }
        length = Number(value);
      }
    }
    this.#remaining = length;
    this.#state = length > 0 ? "body" : "idle";
  }
}

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const TRANSFER_ENCODING = ascii("transfer-encoding:");
const UPGRADE = ascii("upgrade:");
const CONTENT_LENGTH = ascii("content-length:");

/** Whether the line at `at` starts with `name` (lower case, with its colon), in any case. */
function nameAt(head: Uint8Array, at: number, name: Uint8Array): boolean {
  if (at + name.length > head.length) return false;
  for (let k = 0; k < name.length; k++) {
    const want = name[k];
    const got = want >= 0x61 && want <= 0x7a ? head[at + k] | 0x20 : head[at + k];
    if (got !== want) return false;
  }
  return true;
}

/** The value from `at` to the end of its line, without surrounding spaces or tabs. */
function valueAt(head: Uint8Array, at: number): string {
  let end = head.indexOf(13, at);
  if (end === -1) end = head.length;
  while (at < end && (head[at] === 32 || head[at] === 9)) at++;
  while (end > at && (head[end - 1] === 32 || head[end - 1] === 9)) end--;
  // A length has at most 15 digits: anything longer is not one (and is not spread into a call).
  if (end - at > 32) return "";
  return String.fromCharCode(...head.subarray(at, end));
}
