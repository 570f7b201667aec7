/**
 * Reads a `text/event-stream` response body as it arrives: `fetch` + a stream reader, because
 * `EventSource` cannot POST or send the CSRF header.
 */
export interface SseMessage {
  event: string;
  data: unknown;
}

/** Splits complete `event:`/`data:` blocks off `buffer`; returns them and the unfinished rest. */
export function takeEvents(buffer: string): { events: SseMessage[]; rest: string } {
  const events: SseMessage[] = [];
  let rest = buffer.replaceAll("\r\n", "\n");
  let end: number;
  while ((end = rest.indexOf("\n\n")) >= 0) {
    const block = rest.slice(0, end);
    rest = rest.slice(end + 2);
    let event = "message";
    const data: string[] = [];
    for (const line of block.split("\n")) {
      if (line.startsWith("event:")) event = line.slice(6).trim();
      else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
    }
    if (!data.length) continue;
    try {
      events.push({ event, data: JSON.parse(data.join("\n")) });
    } catch {
      // A malformed block is skipped rather than ending the whole answer.
    }
  }
  return { events, rest };
}

export async function readSse(
  body: ReadableStream<Uint8Array>,
  onMessage: (m: SseMessage) => void,
): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    const { events, rest } = takeEvents(buffer + decoder.decode(value, { stream: true }));
    buffer = rest;
    events.forEach(onMessage);
  }
}
