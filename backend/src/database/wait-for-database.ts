import pg from 'pg';

/**
 * Waits for the database at start-up for a bounded time (a managed database
 * may still be booting), then gives up with the driver's reason.
 */
export async function connectWithRetry(url: string, timeoutMs = 30_000, intervalMs = 1_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return;
    } catch (error) {
      const reason = describe(error);
      const remaining = deadline - Date.now();
      // Wrong credentials or a missing database will not fix themselves.
      if (isPermanent(error) || remaining <= 0) {
        throw new Error(`cannot reach the database (${redact(url)}): ${reason}`, { cause: error });
      }
      // The last attempt falls on the deadline, so the wait is the full timeout, not up to one interval short.
      await new Promise((resolve) => setTimeout(resolve, Math.min(intervalMs, remaining)));
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}

function isPermanent(error: unknown): boolean {
  const code = (error as { code?: string }).code ?? '';
  // 28xxx: authentication; 3D000: no such database.
  return code.startsWith('28') || code === '3D000' || code === 'ENOTFOUND';
}

function describe(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return describe(error.errors[0]);
  if (error instanceof Error) return error.message || (error as { code?: string }).code || error.name;
  return String(error);
}

/** The URL without its password, fit for a log line. */
export function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'an invalid URL';
  }
}
