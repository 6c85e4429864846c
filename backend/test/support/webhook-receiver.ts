import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface ReceivedDelivery {
  readonly at: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/**
 * A webhook endpoint on 127.0.0.1 for the tests, the only address the
 * webhook tests ever send to. `respond` decides each answer: a status, a
 * delay, or `hang` (never answer).
 */
export class WebhookReceiver {
  readonly received: ReceivedDelivery[] = [];
  /** Every TCP connection accepted, answered or not. */
  connections = 0;
  respond: (delivery: ReceivedDelivery) => { status: number; delayMs?: number; body?: string; headers?: Record<string, string> } | 'hang' = () => ({
    status: 204,
  });
  private readonly waiters: (() => void)[] = [];

  private constructor(private readonly server: http.Server) {}

  static async start(): Promise<WebhookReceiver> {
    const server = http.createServer();
    const receiver = new WebhookReceiver(server);
    server.on('connection', () => receiver.connections++);
    server.on('request', (request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const delivery = { at: Date.now(), headers: request.headers, body: Buffer.concat(chunks).toString('utf8') };
        receiver.received.push(delivery);
        for (const wake of receiver.waiters.splice(0)) wake();
        const answer = receiver.respond(delivery);
        if (answer === 'hang') return;
        setTimeout(() => response.writeHead(answer.status, answer.headers).end(answer.body ?? ''), answer.delayMs ?? 0);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Resolves once `count` deliveries in all have arrived (or rejects after `timeoutMs`). */
  async waitFor(count: number, timeoutMs = 10_000): Promise<ReceivedDelivery[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length < count) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${this.received.length} of ${count} deliveries within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.received.slice(0, count);
  }

  /** Checks a delivery's Standard Webhooks signature with `secret`, as a receiver would; returns the parsed body. */
  static verify(secret: string, delivery: ReceivedDelivery): { type: string; timestamp: string; data: Record<string, unknown> } {
    return new Webhook(secret).verify(delivery.body, {
      'webhook-id': String(delivery.headers['webhook-id']),
      'webhook-timestamp': String(delivery.headers['webhook-timestamp']),
      'webhook-signature': String(delivery.headers['webhook-signature']),
    }) as { type: string; timestamp: string; data: Record<string, unknown> };
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
