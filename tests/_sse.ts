/** A minimal server-sent events reader for tests: events in order, and a wait for a condition. */
export interface SseEvent {
  event: string;
  id?: string;
  data: string;
}

/** A minimal SSE reader over fetch: events in order, plus the raw text (comments included). */
export class SseClient {
  readonly events: SseEvent[] = [];
  raw = "";
  readonly #ac = new AbortController();
  readonly #done: Promise<void>;
  #waiters: (() => void)[] = [];
  res!: Response;

  private constructor(readonly url: string, readonly headers: Record<string, string>) {
    this.#done = Promise.resolve();
  }

  static async open(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    const c = new SseClient(url, headers);
    c.res = await fetch(url, { headers, signal: c.#ac.signal });
    if (c.res.ok) c.#pump(c.res.body!);
    return c;
  }

  /** Reads an answer already had (from `app.request`, say); `close` cancels its body. */
  static fromResponse(res: Response): SseClient {
    const c = new SseClient(res.url, {});
    c.res = res;
    if (res.ok) c.#pump(res.body!);
    return c;
  }

  /** The events named `name`, their data parsed. */
  // deno-lint-ignore no-explicit-any
  named(name: string): any[] {
    return this.events.filter((e) => e.event === name).map((e) => JSON.parse(e.data));
  }

  async #pump(body: ReadableStream<Uint8Array>) {
    const decoder = new TextDecoder();
    let buffer = "";
    const reader = body.getReader();
    // A fetch ends with its signal; an answer from `app.request` has none, so cancel it here.
    this.#ac.signal.addEventListener("abort", () => void reader.cancel().catch(() => {}));
    try {
      for (let r = await reader.read(); !r.done; r = await reader.read()) {
        const chunk = r.value;
        const text = decoder.decode(chunk, { stream: true });
        this.raw += text;
        buffer += text;
        let end: number;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const e: SseEvent = { event: "message", data: "" };
          const data: string[] = [];
          for (const line of block.split("\n")) {
            if (line.startsWith(":")) continue;
            const [field, ...rest] = line.split(":");
            const value = rest.join(":").replace(/^ /, "");
            if (field === "event") e.event = value;
            else if (field === "id") e.id = value;
            else if (field === "data") data.push(value);
          }
          e.data = data.join("\n");
          if (data.length || e.id) this.events.push(e);
        }
        for (const w of this.#waiters.splice(0)) w();
      }
    } catch {
      // aborted by close()
    }
  }

  quotes(): SseEvent[] {
    return this.events.filter((e) => e.event === "quote");
  }

  /** Waits until `check` holds (re-checked on every chunk). */
  async until(check: () => boolean, ms = 5_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!check()) {
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(
          `SSE condition not reached; HTTP ${this.res.status}, ${this.events.length} events`,
        );
      }
      let timer: ReturnType<typeof setTimeout> | undefined;
      await new Promise<void>((r) => {
        this.#waiters.push(r);
        timer = setTimeout(r, Math.min(left, 50));
      });
      clearTimeout(timer);
    }
  }

  close(): void {
    this.#ac.abort();
  }
}
