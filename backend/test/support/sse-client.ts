import http from 'node:http';

/** One dispatched Server-Sent Event, fields as received. */
export interface SseEvent {
  readonly event: string;
  readonly id?: string;
  readonly data: string;
  readonly retry?: number;
}

export interface SseOpenResult {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  /** The parsed JSON body of a response that is not an event stream (an error). */
  readonly body?: unknown;
  /** Set when the response is `text/event-stream`. */
  readonly stream?: SseStream;
}

/**
 * Opens `GET path` on a connection of its own and, for an event stream,
 * parses it as a browser's EventSource would (WHATWG "event stream
 * interpretation"), keeping the raw fields so a test can check them.
 */
export function openSse(baseUrl: string, path: string, headers: Record<string, string> = {}): Promise<SseOpenResult> {
  const url = new URL(path, baseUrl);
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: url.hostname, port: url.port, path: `${url.pathname}${url.search}`, agent: false, headers: { Accept: 'text/event-stream', ...headers } },
      (response) => {
        const status = response.statusCode ?? 0;
        if (status === 200 && /^text\/event-stream/.test(response.headers['content-type'] ?? '')) {
          resolve({ status, headers: response.headers, stream: new SseStream(request, response) });
          return;
        }
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown;
          try {
            body = text ? JSON.parse(text) : undefined;
          } catch {
            body = text;
          }
          resolve({ status, headers: response.headers, body });
        });
      },
    );
    request.on('error', reject);
    request.end();
  });
}

/** Opens a stream and fails the test unless it is one. */
export async function openStream(baseUrl: string, path: string, headers: Record<string, string> = {}): Promise<SseStream> {
  const result = await openSse(baseUrl, path, headers);
  if (!result.stream) throw new Error(`expected an event stream, got ${result.status}: ${JSON.stringify(result.body)}`);
  return result.stream;
}

export class SseStream {
  /** Every event received, heartbeats included. */
  readonly events: SseEvent[] = [];
  /**
   * Event types next(), take() and quietFor() pass over (they stay in
   * `events`): a test about task events can ignore the project.updated that
   * a task's creation also brings (its project's open count changed).
   */
  ignore: RegExp | undefined;
  /** Resolves when the server ends the response or the connection closes. */
  readonly ended: Promise<void>;
  private position = 0;
  private wake?: () => void;
  private buffer = '';
  private fields: { event?: string; id?: string; data: string[]; retry?: number } = { data: [] };
  private done = false;

  constructor(
    private readonly request: http.ClientRequest,
    readonly response: http.IncomingMessage,
  ) {
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => this.feed(chunk));
    this.ended = new Promise((resolve) => {
      const finish = () => {
        this.done = true;
        this.wake?.();
        resolve();
      };
      response.once('end', finish);
      response.once('close', finish);
      response.once('error', finish);
    });
  }

  get isEnded(): boolean {
    return this.done;
  }

  /** The next event not read yet (heartbeats skipped unless asked for), or an error after `timeoutMs`. */
  async next(timeoutMs = 5000, { heartbeats = false } = {}): Promise<SseEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      while (this.position < this.events.length) {
        const event = this.events[this.position++];
        if (this.ignore?.test(event.event)) continue;
        if (heartbeats || event.event !== 'heartbeat') return event;
      }
      if (this.done) throw new Error('the stream ended');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no event within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  /** The next event of `type`, skipping others. */
  async until(type: string, timeoutMs = 5000): Promise<SseEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const event = await this.next(Math.max(1, deadline - Date.now()));
      if (event.event === type) return event;
    }
  }

  /** The next `count` events (heartbeats skipped). */
  async take(count: number, timeoutMs = 5000): Promise<SseEvent[]> {
    const events: SseEvent[] = [];
    const deadline = Date.now() + timeoutMs;
    while (events.length < count) events.push(await this.next(Math.max(1, deadline - Date.now())));
    return events;
  }

  /** Waits `ms`, then returns the events (heartbeats skipped) that arrived meanwhile. */
  async quietFor(ms: number): Promise<SseEvent[]> {
    await new Promise((resolve) => setTimeout(resolve, ms));
    const events: SseEvent[] = [];
    while (this.position < this.events.length) {
      const event = this.events[this.position++];
      if (event.event !== 'heartbeat' && !this.ignore?.test(event.event)) events.push(event);
    }
    return events;
  }

  /** Stops reading: the server's writes back up once the socket buffers are full. */
  pause(): void {
    this.response.pause();
  }

  resume(): void {
    this.response.resume();
  }

  close(): void {
    this.request.destroy();
  }

  private feed(chunk: string): void {
    this.buffer += chunk;
    const lines = this.buffer.split(/\r\n|\r|\n/);
    // The last piece is a line still in progress (a lone \r at the end is
    // taken as a line break; the server writes \n only).
    this.buffer = lines.pop() ?? '';
    for (const line of lines) this.line(line);
  }

  private line(line: string): void {
    if (line === '') {
      const { event, id, data, retry } = this.fields;
      // An event without data is not dispatched (the spec), but its id and retry still count.
      if (data.length > 0) {
        this.events.push({ event: event ?? 'message', id, data: data.join('\n'), retry });
        this.wake?.();
      }
      this.fields = { data: [] };
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const name = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (name === 'event') this.fields.event = value;
    else if (name === 'data') this.fields.data.push(value);
    else if (name === 'id' && !value.includes('\0')) this.fields.id = value;
    else if (name === 'retry' && /^\d+$/.test(value)) this.fields.retry = Number(value);
  }
}

/** The JSON in an event's data. */
export function dataOf<T = Record<string, unknown>>(event: SseEvent): T {
  return JSON.parse(event.data) as T;
}
