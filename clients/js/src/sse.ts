// Server-Sent Events over a fetch body stream, as the HTML standard's event-stream interpretation
// says (fields event, data, id, retry; comments; CRLF, LF or CR line ends; an unterminated last
// event is dropped). Used in browsers and in Node 20 alike (Node 20 has no EventSource, and
// EventSource cannot send Last-Event-ID on a connection it did not open itself).

export interface ServerSentEvent {
  /** The event type; `message` when the event named none. */
  event: string;
  /** The data lines joined by `\n`. */
  data: string;
  /** The last event id seen on the stream so far (the `id:` field persists), or ''. */
  lastEventId: string;
}

export class EventStreamParser {
  private pending = '';
  private data: string[] = [];
  private eventType = '';
  private started = false;
  /** The stream's last event id (as EventSource's lastEventId). */
  lastEventId = '';
  /** The reconnection time the stream asked for (`retry:`), if any. */
  retryMs: number | undefined = undefined;

  constructor(private readonly onEvent: (event: ServerSentEvent) => void) {}

  /** Feeds decoded text; dispatches each event completed by it. */
  push(text: string): void {
    let chunk = this.pending + text;
    if (!this.started && chunk.length > 0) {
      this.started = true;
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
    }
    let start = 0;
    for (let i = 0; i < chunk.length; ++i) {
      const c = chunk.charCodeAt(i);
      if (c !== 0x0a && c !== 0x0d) continue;
      // A CR at the very end may be the first half of a CRLF: wait for the next chunk.
      if (c === 0x0d && i === chunk.length - 1) break;
      this.line(chunk.slice(start, i));
      if (c === 0x0d && chunk.charCodeAt(i + 1) === 0x0a) ++i;
      start = i + 1;
    }
    this.pending = chunk.slice(start);
  }

  /** The stream ended: an event without its blank line is dropped. */
  end(): void {
    // A CR held back at the very end did end its line; a line without its end is dropped.
    if (this.pending.endsWith('\r')) this.line(this.pending.slice(0, -1));
    this.pending = '';
    this.data = [];
    this.eventType = '';
  }

  private line(line: string): void {
    if (line === '') {
      this.dispatch();
      return;
    }
    if (line.startsWith(':')) return;  // a comment (the server's heartbeat)
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event': this.eventType = value; break;
      case 'data': this.data.push(value); break;
      case 'id': if (!value.includes('\0')) this.lastEventId = value; break;
      case 'retry': if (/^\d+$/.test(value)) this.retryMs = Number(value); break;
      default: break;  // unknown fields are ignored
    }
  }

  private dispatch(): void {
    const data = this.data;
    const event = this.eventType === '' ? 'message' : this.eventType;
    this.data = [];
    this.eventType = '';
    if (data.length === 0) return;
    this.onEvent({ event, data: data.join('\n'), lastEventId: this.lastEventId });
  }
}

/**
 * Reads an event stream to its end (or until `onEvent` returns true, which stops reading and
 * cancels the stream). Rejects when the stream breaks; the caller maps the failure.
 */
export async function ReadEventStream(
  body: ReadableStream<Uint8Array>, parser: EventStreamParser, stopAfter: () => boolean,
): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder('utf-8');
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        parser.push(decoder.decode());
        parser.end();
        return;
      }
      parser.push(decoder.decode(value, { stream: true }));
      if (stopAfter()) return;
    }
  } finally {
    reader.cancel().catch(() => undefined);
  }
}
