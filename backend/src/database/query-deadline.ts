import pg from 'pg';

/** How often the sweep looks for a connection that stopped answering. */
export const DEADLINE_CHECK_MS = 1_000;

/**
 * A pg Client class for one pool whose statements may wait at most
 * `limitMs` for the server's answer: a connection that has not answered for
 * that long (the database host froze, or the network between drops every
 * packet, so neither statement_timeout nor TCP notices) is closed, its
 * statement fails with "Connection terminated unexpectedly" (a 503 for the
 * client) and the pool replaces it.
 *
 * This replaces pg's own `query_timeout`, which arms a timer for every
 * statement: under load those timers kept each in-flight query, and the rows
 * it received, alive across young-generation collections, so most of the rows
 * a busy API read were promoted to the old generation (about 2 MB per
 * scavenge on the list benchmark, scavenges four times longer, and frequent
 * full collections). One sweep per pool checks a timestamp instead.
 */
export function clientWithDeadline(limitMs: number, checkEveryMs = DEADLINE_CHECK_MS): typeof pg.Client {
  const clients = new Set<DeadlineClient>();
  let sweep: NodeJS.Timeout | undefined;

  const check = () => {
    const now = Date.now();
    for (const client of clients) if (client.stalledFor(now) > limitMs) client.abandon();
  };

  class DeadlineClient extends pg.Client {
    /** When the last statement was handed to this connection; 0 before the first. */
    private sentAt = 0;

    constructor(config?: string | pg.ClientConfig) {
      super(config);
      clients.add(this);
      sweep ??= setInterval(check, checkEveryMs).unref();
      // A closed connection's error has already failed its statement (and an
      // idle one's is the pool's to handle); this listener only keeps an error
      // on a checked-out connection from being an uncaught 'error' event.
      this.on('error', () => undefined);
      this.once('end', () => {
        clients.delete(this);
        if (clients.size === 0 && sweep) {
          clearInterval(sweep);
          sweep = undefined;
        }
      });
    }

    // pg's overloads are many; this only notes the time and passes everything on.
    override query(...args: unknown[]): never {
      this.sentAt = Date.now();
      return (super.query as (...a: unknown[]) => never)(...args);
    }

    /** Milliseconds this connection has owed an answer; 0 while it owes none. */
    stalledFor(now: number): number {
      const internals = this as unknown as { readyForQuery: boolean; _queryQueue: unknown[] };
      const waiting = !internals.readyForQuery || internals._queryQueue.length > 0;
      return this.sentAt > 0 && waiting ? now - this.sentAt : 0;
    }

    /** Closes the socket: pg fails the statement in flight and the pool drops the client. */
    abandon(): void {
      clients.delete(this);
      (this as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    }
  }

  return DeadlineClient;
}
