import net from 'node:net';
import { ContractValidator, loadCommittedDocument, type ObservedRequest, type ObservedResponse } from './contract-validator';

/**
 * A TCP proxy between the tests and the API that passes every byte through
 * untouched (back-pressure, half-closes, malformed requests and resets
 * included) and reads a copy of both directions as HTTP/1.1, to check each
 * exchange against the committed OpenAPI document (contract-validator.ts).
 *
 * One thing a relay changes: how an upload reaches the API. A client that
 * writes a large body at once has it in the API's socket before the API
 * answers; a relay writes it on in pieces. When the API answers early (413
 * from the declared length) and closes, a piece written after that is met by
 * a reset, and a reset discards the answer unread. So the proxy holds the
 * body of a large upload (UploadGate) and writes it in one piece, or drops it
 * when the API has answered and closed first, as the API would have.
 * Uploads too large to hold (a 50 MB body, a 600 kB URL) are tested against
 * `apiUrl` directly.
 *
 * `startTestApp()` puts one in front of the API for the e2e and security
 * suites; `close()` of the test app fails the file on any violation.
 */
export class ContractProxy {
  readonly violations: string[] = [];
  readonly notes: string[] = [];
  exchanges = 0;
  private readonly sockets = new Set<net.Socket>();
  private readonly upstreams = new Set<net.Socket>();

  private readonly server: net.Server;

  private constructor(target: { host: string; port: number }, validator: ContractValidator) {
    this.server = net.createServer({ allowHalfOpen: true, noDelay: true }, (client) => this.relay(client, target, validator));
  }

  static async start(target: { host: string; port: number }, validator = new ContractValidator(loadCommittedDocument())): Promise<ContractProxy> {
    const proxy = new ContractProxy(target, validator);
    await new Promise<void>((resolve, reject) => {
      proxy.server.once('error', reject);
      proxy.server.listen(0, '127.0.0.1', resolve);
    });
    // A test that stops the API without close() must not keep Jest from exiting.
    proxy.server.unref();
    return proxy;
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  private relay(client: net.Socket, target: { host: string; port: number }, validator: ContractValidator): void {
    const upstream = net.connect({ host: target.host, port: target.port, allowHalfOpen: true, noDelay: true });
    this.sockets.add(client);
    this.upstreams.add(upstream);
    const gate = new UploadGate(upstream);
    const exchanges = new ExchangeReader(gate, (request, response) => {
      this.exchanges++;
      try {
        const { violations, notes } = validator.check(request, response);
        this.violations.push(...violations);
        this.notes.push(...notes);
      } catch (error) {
        this.violations.push(`${request.method} ${request.target}: the checker failed: ${(error as Error).message}`);
      }
    });
    upstream.on('data', (chunk: Buffer) => exchanges.fromServer(chunk));
    upstream.on('end', () => exchanges.serverEnded());
    client.on('data', (chunk: Buffer) => {
      gate.begin(chunk);
      exchanges.fromClient(chunk);
      if (!gate.end()) {
        client.pause();
        upstream.once('drain', () => client.resume());
      }
    });
    client.on('end', () => gate.clientEnded());
    upstream.pipe(client);
    // A reset on one side is a reset on the other, after what was already read
    // from the API; a clean close is passed on by pipe().
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => {
      upstream.unpipe(client);
      client.end(() => client.destroy());
      setTimeout(() => client.destroy(), 1_000).unref();
    });
    client.on('close', () => {
      this.sockets.delete(client);
      upstream.destroy();
    });
    upstream.on('close', (hadError) => {
      this.upstreams.delete(upstream);
      exchanges.serverEnded();
      if (!hadError) client.end();
    });
  }

  /** Waits (briefly) for the API's connections to end, so the last answers are read, then closes everything. */
  async close(): Promise<void> {
    const deadline = Date.now() + 3_000;
    while (this.upstreams.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    for (const socket of [...this.sockets, ...this.upstreams]) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Throws with every violation seen, so the test file fails. */
  assertNoViolations(): void {
    if (this.violations.length === 0) return;
    const shown = this.violations.slice(0, 50).map((v) => `  - ${v}`).join('\n');
    const more = this.violations.length > 50 ? `\n  … and ${this.violations.length - 50} more` : '';
    throw new Error(`The API and docs/openapi.json disagree (${this.violations.length} violation(s)):\n${shown}${more}`);
  }
}

/** Request bodies larger than this (or chunked) are held and written to the API in one piece. */
const HOLD_BODY_BYTES = 64 * 1024;
/** Past this, a held body is streamed on after all. */
const MAX_HOLD_BYTES = 8 * 1024 * 1024;

/**
 * Decides what of the client's bytes goes on to the API, and when: the
 * ExchangeReader tells it, while it reads a chunk, where a large body starts
 * (hold from there), that it ended (write what was held, in one piece), or
 * that the API answered and closed before it ended (drop it).
 */
export class UploadGate {
  private mode: 'pass' | 'hold' | 'drop' = 'pass';
  private held: Buffer[] = [];
  private heldBytes = 0;
  private chunk: Buffer = Buffer.alloc(0);
  /** Where in the current chunk holding started, if it did. */
  private holdAt: number | undefined;
  private released = false;

  constructor(private readonly upstream: net.Socket) {}

  begin(chunk: Buffer): void {
    this.chunk = chunk;
    this.holdAt = undefined;
    this.released = false;
  }

  /** A large body starts `rest` bytes before the end of the current chunk. */
  holdFromEnd(rest: number): void {
    if (this.mode === 'pass' && !this.released) this.holdAt = this.chunk.length - rest;
  }

  /** The held body is complete. */
  release(): void {
    this.released = true;
  }

  /** The API answered the held request before its body was complete. */
  answeredEarly(closing: boolean): void {
    if (this.mode !== 'hold') return;
    if (closing) {
      this.mode = 'drop';
      this.held = [];
      this.heldBytes = 0;
    } else {
      this.flush();
    }
  }

  /** Routes the current chunk; false when the API's socket wants the client paused. */
  end(): boolean {
    const chunk = this.chunk;
    if (this.mode === 'drop' || this.upstream.destroyed) return true;
    if (this.mode === 'pass') {
      if (this.holdAt === undefined || this.released) return this.upstream.write(chunk);
      const ok = this.holdAt > 0 ? this.upstream.write(chunk.subarray(0, this.holdAt)) : true;
      this.mode = 'hold';
      this.keep(chunk.subarray(this.holdAt));
      return ok;
    }
    this.keep(chunk);
    if (this.released || this.heldBytes > MAX_HOLD_BYTES) return this.flush();
    return true;
  }

  clientEnded(): void {
    if (this.mode === 'hold') this.flush();
    if (!this.upstream.destroyed) this.upstream.end();
  }

  private keep(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.held.push(bytes);
    this.heldBytes += bytes.length;
  }

  private flush(): boolean {
    const bytes = Buffer.concat(this.held);
    this.held = [];
    this.heldBytes = 0;
    this.mode = 'pass';
    return this.upstream.destroyed || bytes.length === 0 ? true : this.upstream.write(bytes);
  }
}

/** Bodies kept for checking, at most; a longer one is checked by its head only. */
const MAX_BODY_BYTES = 8 * 1024 * 1024;

interface Head {
  startLine: string;
  headers: Record<string, string>;
}

type Framing = { kind: 'none' } | { kind: 'length'; remaining: number } | { kind: 'chunked' } | { kind: 'until-close' };

/**
 * An incremental reader of one HTTP/1.1 message stream (requests or
 * responses), lenient on purpose: whatever it cannot frame, it stops reading,
 * and the exchange goes unchecked.
 */
class MessageReader {
  private buffer: Buffer = Buffer.alloc(0);
  private framing: Framing | undefined;
  private chunkState: 'size' | 'data' | 'data-end' | 'trailers' = 'size';
  private chunkRemaining = 0;
  broken = false;

  constructor(
    private readonly onHead: (head: Head) => Framing | undefined,
    private readonly onBody: (chunk: Buffer) => void,
    private readonly onComplete: () => void,
  ) {}

  push(chunk: Buffer): void {
    if (this.broken) return;
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    for (;;) {
      if (!this.framing) {
        const end = this.buffer.indexOf('\r\n\r\n');
        if (end < 0) {
          if (this.buffer.length > 64 * 1024) this.broken = true;
          return;
        }
        const lines = this.buffer.subarray(0, end).toString('latin1').split('\r\n');
        this.buffer = this.buffer.subarray(end + 4);
        const headers: Record<string, string> = {};
        for (const line of lines.slice(1)) {
          const colon = line.indexOf(':');
          if (colon <= 0) continue;
          const name = line.slice(0, colon).trim().toLowerCase();
          const value = line.slice(colon + 1).trim();
          headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
        }
        const framing = this.onHead({ startLine: lines[0], headers });
        if (!framing) {
          this.broken = true;
          return;
        }
        this.framing = framing;
        this.chunkState = 'size';
        if (framing.kind === 'none' || (framing.kind === 'length' && framing.remaining === 0)) {
          this.finish();
          continue;
        }
      }
      if (!this.readBody()) return;
    }
  }

  /** Bytes read but not yet consumed: during onHead, what follows the head in the current chunk. */
  remaining(): number {
    return this.buffer.length;
  }

  /** The connection ended: a body read until close is complete now. */
  end(): void {
    if (!this.broken && this.framing?.kind === 'until-close') this.finish();
  }

  private finish(): void {
    this.framing = undefined;
    this.onComplete();
  }

  /** Consumes body bytes; true when the message is complete and the next one may start. */
  private readBody(): boolean {
    const framing = this.framing as Framing;
    if (framing.kind === 'until-close') {
      if (this.buffer.length > 0) this.onBody(this.buffer);
      this.buffer = Buffer.alloc(0);
      return false;
    }
    if (framing.kind === 'length') {
      const take = Math.min(framing.remaining, this.buffer.length);
      if (take > 0) this.onBody(this.buffer.subarray(0, take));
      this.buffer = this.buffer.subarray(take);
      framing.remaining -= take;
      if (framing.remaining > 0) return false;
      this.finish();
      return true;
    }
    for (;;) {
      if (this.chunkState === 'size' || this.chunkState === 'data-end' || this.chunkState === 'trailers') {
        const eol = this.buffer.indexOf('\r\n');
        if (eol < 0) return false;
        const line = this.buffer.subarray(0, eol).toString('latin1');
        this.buffer = this.buffer.subarray(eol + 2);
        if (this.chunkState === 'data-end') {
          this.chunkState = 'size';
        } else if (this.chunkState === 'trailers') {
          if (line === '') {
            this.finish();
            return true;
          }
        } else {
          const size = Number.parseInt(line.split(';')[0].trim(), 16);
          if (!Number.isFinite(size) || size < 0) {
            this.broken = true;
            return false;
          }
          if (size === 0) this.chunkState = 'trailers';
          else {
            this.chunkRemaining = size;
            this.chunkState = 'data';
          }
        }
        continue;
      }
      const take = Math.min(this.chunkRemaining, this.buffer.length);
      if (take > 0) this.onBody(this.buffer.subarray(0, take));
      this.buffer = this.buffer.subarray(take);
      this.chunkRemaining -= take;
      if (this.chunkRemaining > 0) return false;
      this.chunkState = 'data-end';
    }
  }
}

interface PendingExchange {
  request: ObservedRequest;
  requestChunks: Buffer[];
  requestBytes: number;
}

/**
 * Pairs the requests of one connection with their responses (in order, as
 * HTTP/1.1 pipelining has it) and hands each complete exchange on.
 */
export class ExchangeReader {
  private readonly waiting: PendingExchange[] = [];
  private readingRequest: PendingExchange | undefined;
  private answering: { exchange: PendingExchange; response: ObservedResponse; chunks: Buffer[]; bytes: number; streaming: boolean } | undefined;
  private readonly requests: MessageReader;
  private readonly responses: MessageReader;
  private ended = false;

  private holding: PendingExchange | undefined;

  constructor(
    private readonly gate: Pick<UploadGate, 'holdFromEnd' | 'release' | 'answeredEarly'>,
    private readonly onExchange: (request: ObservedRequest, response: ObservedResponse) => void,
  ) {
    this.requests = new MessageReader(
      (head) => this.requestHead(head),
      (chunk) => {
        const exchange = this.readingRequest;
        if (!exchange) return;
        exchange.requestBytes += chunk.length;
        if (exchange.requestBytes <= MAX_BODY_BYTES) exchange.requestChunks.push(Buffer.from(chunk));
      },
      () => {
        const exchange = this.readingRequest;
        if (!exchange) return;
        exchange.request.body = Buffer.concat(exchange.requestChunks);
        exchange.request.bodyComplete = exchange.requestBytes <= MAX_BODY_BYTES;
        this.readingRequest = undefined;
        if (this.holding === exchange) {
          this.holding = undefined;
          this.gate.release();
        }
      },
    );
    this.responses = new MessageReader(
      (head) => this.responseHead(head),
      (chunk) => {
        const answer = this.answering;
        if (!answer || answer.streaming) return;
        answer.bytes += chunk.length;
        if (answer.bytes <= MAX_BODY_BYTES) answer.chunks.push(Buffer.from(chunk));
      },
      () => this.responseComplete(),
    );
  }

  fromClient(chunk: Buffer): void {
    this.requests.push(chunk);
  }

  fromServer(chunk: Buffer): void {
    this.responses.push(chunk);
  }

  serverEnded(): void {
    if (this.ended) return;
    this.ended = true;
    this.responses.end();
    // A response cut short (the API was stopped mid-answer): its head is still checked.
    const answer = this.answering;
    if (answer && !answer.streaming) {
      this.answering = undefined;
      answer.response.bodyComplete = false;
      this.onExchange(answer.exchange.request, answer.response);
    }
  }

  private requestHead(head: Head): Framing | undefined {
    const [method, target] = head.startLine.split(' ');
    if (!method || !target) return undefined;
    const exchange: PendingExchange = {
      request: { method, target, headers: head.headers, body: Buffer.alloc(0), bodyComplete: false },
      requestChunks: [],
      requestBytes: 0,
    };
    this.waiting.push(exchange);
    this.readingRequest = exchange;
    const framing = bodyFraming(head.headers, 'request');
    if (framing?.kind === 'none') exchange.request.bodyComplete = true;
    if (framing?.kind === 'chunked' || (framing?.kind === 'length' && framing.remaining > HOLD_BODY_BYTES)) {
      this.holding = exchange;
      this.gate.holdFromEnd(this.requests.remaining());
    }
    return framing;
  }

  private responseHead(head: Head): Framing | undefined {
    const status = Number(head.startLine.split(' ')[1]);
    if (!Number.isInteger(status)) return undefined;
    // 1xx: an interim answer; the final one follows.
    if (status < 200) return { kind: 'none' };
    const exchange = this.waiting.shift();
    const response: ObservedResponse = { status, headers: head.headers, body: Buffer.alloc(0), bodyComplete: true };
    if (!exchange) {
      // An answer to no request read (a timeout on an idle connection, a request line the API refused): nothing to pair it with.
      this.answering = undefined;
    } else {
      const streaming = (head.headers['content-type'] ?? '').startsWith('text/event-stream');
      this.answering = { exchange, response, chunks: [], bytes: 0, streaming };
      // A stream never ends: its status and headers are all there is to check.
      if (streaming) {
        response.bodyComplete = false;
        this.onExchange(exchange.request, response);
      }
    }
    if (exchange?.request.method === 'HEAD' || status === 204 || status === 304) return { kind: 'none' };
    return bodyFraming(head.headers, 'response');
  }

  private responseComplete(): void {
    const answer = this.answering;
    if (!answer) return;
    this.answering = undefined;
    if (answer.streaming) return;
    answer.response.body = Buffer.concat(answer.chunks);
    answer.response.bodyComplete = answer.bytes <= MAX_BODY_BYTES;
    if (this.holding === answer.exchange) {
      this.holding = undefined;
      this.gate.answeredEarly(/close/i.test(answer.response.headers.connection ?? ''));
    }
    this.onExchange(answer.exchange.request, answer.response);
  }
}

/** RFC 9112 §6.3: chunked, else Content-Length, else no body (a request) or the rest of the connection (a response). */
function bodyFraming(headers: Record<string, string>, kind: 'request' | 'response'): Framing | undefined {
  if (/chunked/i.test(headers['transfer-encoding'] ?? '')) return { kind: 'chunked' };
  if (headers['transfer-encoding'] !== undefined) return undefined;
  const length = headers['content-length'];
  if (length === undefined) return kind === 'request' ? { kind: 'none' } : { kind: 'until-close' };
  return /^\d+$/.test(length) ? { kind: 'length', remaining: Number(length) } : undefined;
}
