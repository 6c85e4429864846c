import type { ServerResponse } from 'node:http';
import type { SseMessage } from './event-messages.js';

/**
 * Bytes an event stream may hold in this process, waiting for its client to
 * read them. A message is written only when it fits under this bound or the
 * stream holds nothing at all, so a stream holds at most
 * max(STREAM_BUFFER_BYTES, largest message): the largest task event is about
 * 70 kB (MAX_TASK_EVENT_BYTES). Past it, nothing more is read for the stream
 * until its client has read what it has; its place is its cursor in the
 * database, not a queue in memory.
 */
export const STREAM_BUFFER_BYTES = 64 * 1024;

/** Once the response has ended, how long a client that does not read gets to take the last bytes. */
export const END_GRACE_MS = 1_000;

export const SSE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-store',
  // nginx would otherwise buffer the stream (frontend/nginx.conf also says so).
  'X-Accel-Buffering': 'no',
};

/**
 * One `text/event-stream` response, written by hand rather than through an
 * Observable: every write goes straight to the socket and what the client has
 * not read yet is measured in bytes (`writableLength` counts both the
 * response's and the socket's buffers), so the stream can be fed exactly as
 * fast as its client reads.
 */
export class SseConnection {
  /** When the oldest byte still waiting in this process was written; unset while nothing waits. */
  private waitingSince: number | undefined;
  private onFlush: (() => void) | undefined;
  private endTimer: NodeJS.Timeout | undefined;

  private constructor(private readonly response: ServerResponse) {
    response.once('close', () => clearTimeout(this.endTimer));
  }

  /**
   * Sends the status line and headers (`headers` are those the request's
   * hooks set already: CORS, security headers) and tunes the socket for a
   * long-lived stream.
   */
  static open(response: ServerResponse, headers: Record<string, string | string[] | number | undefined>): SseConnection {
    const socket = response.socket;
    socket?.setNoDelay(true);
    socket?.setKeepAlive(true);
    socket?.setTimeout(0);
    const merged: Record<string, string | string[] | number> = {};
    for (const [name, value] of Object.entries(headers)) {
      if (value !== undefined && !/^(content-type|content-length|cache-control|connection)$/i.test(name)) merged[name] = value;
    }
    response.writeHead(200, { ...merged, ...SSE_HEADERS });
    response.flushHeaders();
    return new SseConnection(response);
  }

  get closed(): boolean {
    return this.response.destroyed || this.response.writableEnded;
  }

  /** Bytes written but not yet handed to the operating system. */
  get bufferedBytes(): number {
    return this.response.writableLength;
  }

  /** Whether `message` may be written now without passing STREAM_BUFFER_BYTES. */
  hasRoomFor(message: SseMessage): boolean {
    const buffered = this.bufferedBytes;
    return buffered === 0 || buffered + message.bytes.length <= STREAM_BUFFER_BYTES;
  }

  write(message: SseMessage): void {
    if (this.closed) return;
    this.waitingSince ??= Date.now();
    this.response.write(message.bytes, () => {
      if (this.response.writableLength > 0) return;
      this.waitingSince = undefined;
      this.onFlush?.();
    });
  }

  /** Called each time everything written so far has reached the operating system. */
  whenFlushed(callback: () => void): void {
    this.onFlush = callback;
  }

  onClose(callback: () => void): void {
    if (this.response.destroyed) queueMicrotask(callback);
    else this.response.once('close', callback);
  }

  /** True when bytes have been waiting for the client for longer than `ms`. */
  stalledFor(ms: number, now = Date.now()): boolean {
    return this.waitingSince !== undefined && now - this.waitingSince > ms;
  }

  /**
   * Ends the response, with `last` as its final message when there is room
   * for it. A client that does not read would keep an ended response open
   * for ever; it is cut after a moment.
   */
  end(last?: SseMessage): void {
    if (this.closed) return;
    if (last && this.hasRoomFor(last)) this.response.write(last.bytes);
    this.response.end();
    if (!this.response.writableFinished) {
      this.endTimer = setTimeout(() => this.destroy(), END_GRACE_MS).unref();
    }
  }

  destroy(): void {
    this.response.destroy();
  }
}
