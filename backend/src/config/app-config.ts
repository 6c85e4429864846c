import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { plainToInstance, Transform } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';

/**
 * The environment variables the API reads, validated once at start-up.
 * Nothing outside `config/` touches `process.env`.
 */
const PORT_RULE = { message: '$property must be an integer between 0 and 65535' };
const ROUNDS_RULE = { message: '$property must be an integer between 4 and 15' };
const RATE_RULE = { message: '$property must be a non-negative integer (0 turns the limit off)' };

class EnvironmentVariables {
  @IsOptional()
  @IsIn(['development', 'production', 'test'])
  NODE_ENV = 'development';

  @Transform(({ value }) => toInteger(value))
  @IsInt(PORT_RULE)
  @Min(0, PORT_RULE)
  @Max(65535, PORT_RULE)
  PORT = 3000;

  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: '$property must be a postgres:// or postgresql:// URL' })
  DATABASE_URL?: string;

  @IsString()
  DATA_DIR = '.data';

  @Transform(({ value }) => toInteger(value))
  @IsInt(PORT_RULE)
  @Min(0, PORT_RULE)
  @Max(65535, PORT_RULE)
  EMBEDDED_PG_PORT = 5433;

  @IsOptional()
  @IsString()
  @MinLength(32, { message: '$property must be at least 32 characters long' })
  JWT_SECRET?: string;

  @Matches(/^[1-9]\d*[smhd]?$/, { message: '$property must be a number of seconds or a duration such as 15m, 1h, 7d' })
  JWT_EXPIRES_IN = '15m';

  /** Days a session (its refresh token) lives after its last use. */
  @Transform(({ value }) => toInteger(value))
  @IsInt({ message: '$property must be an integer between 1 and 365 (days)' })
  @Min(1, { message: '$property must be an integer between 1 and 365 (days)' })
  @Max(365, { message: '$property must be an integer between 1 and 365 (days)' })
  REFRESH_TTL_DAYS = 30;

  /**
   * Seconds during which a refresh token that was just rotated away still
   * refreshes its session (two tabs refreshing at once), instead of counting
   * as reuse and revoking it.
   */
  @Transform(({ value }) => toInteger(value))
  @IsInt({ message: '$property must be an integer between 0 and 300 (seconds)' })
  @Min(0, { message: '$property must be an integer between 0 and 300 (seconds)' })
  @Max(300, { message: '$property must be an integer between 0 and 300 (seconds)' })
  REFRESH_GRACE_SECONDS = 10;

  /** The first wait before a failed webhook delivery is retried; each further wait doubles. */
  @Transform(({ value }) => toInteger(value))
  @IsInt({ message: '$property must be an integer between 1 and 3600 (seconds)' })
  @Min(1, { message: '$property must be an integer between 1 and 3600 (seconds)' })
  @Max(3600, { message: '$property must be an integer between 1 and 3600 (seconds)' })
  WEBHOOK_RETRY_BASE_SECONDS = 30;

  /** Plain http:// webhook URLs (https:// only otherwise). */
  @IsIn(['true', 'false'], { message: '$property must be true or false' })
  WEBHOOK_ALLOW_HTTP = 'false';

  /** Webhook URLs that resolve to loopback, private, link-local or metadata addresses (tests, self-hosting). */
  @IsIn(['true', 'false'], { message: '$property must be true or false' })
  WEBHOOK_ALLOW_PRIVATE = 'false';

  /** Webhook deliveries one instance sends at once. */
  @Transform(({ value }) => toInteger(value))
  @IsInt({ message: '$property must be an integer between 1 and 64' })
  @Min(1, { message: '$property must be an integer between 1 and 64' })
  @Max(64, { message: '$property must be an integer between 1 and 64' })
  WEBHOOK_CONCURRENCY = 8;

  @Transform(({ value }) => toInteger(value))
  @IsInt(ROUNDS_RULE)
  @Min(4, ROUNDS_RULE)
  @Max(15, ROUNDS_RULE)
  BCRYPT_ROUNDS = 12;

  @IsString()
  CORS_ORIGINS = 'http://localhost:4200';

  @Transform(({ value }) => toInteger(value))
  @IsInt(RATE_RULE)
  @Min(0, RATE_RULE)
  AUTH_RATE_LIMIT = 10;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** How long start-up keeps retrying an unreachable database, in seconds. */
  @Transform(({ value }) => toInteger(value))
  @IsInt({ message: '$property must be a non-negative integer (seconds)' })
  @Min(0, { message: '$property must be a non-negative integer (seconds)' })
  DB_STARTUP_TIMEOUT = 30;

  /**
   * Seconds between SIGTERM and closing the listener, while /health already
   * answers 503, so a load balancer stops routing here before connections
   * are refused. 0 by default; set it to about two health-check intervals
   * behind a load balancer.
   */
  @Transform(({ value }) => toInteger(value))
  @IsInt({ message: '$property must be an integer between 0 and 60 (seconds)' })
  @Min(0, { message: '$property must be an integer between 0 and 60 (seconds)' })
  @Max(60, { message: '$property must be an integer between 0 and 60 (seconds)' })
  SHUTDOWN_DELAY = 0;

  /**
   * Seconds a client has to send a whole request, headers and body. Without
   * it a client trickling a body a byte at a time holds a connection forever.
   */
  @Transform(({ value }) => toInteger(value))
  @IsInt({ message: '$property must be an integer between 1 and 600 (seconds)' })
  @Min(1, { message: '$property must be an integer between 1 and 600 (seconds)' })
  @Max(600, { message: '$property must be an integer between 1 and 600 (seconds)' })
  REQUEST_TIMEOUT = 30;

  @IsOptional()
  @IsIn(['true', 'false', 'loopback'], { message: '$property must be true, false or loopback' })
  TRUST_PROXY?: string;

  /**
   * false: the schema is migrated by a release step (`npm run migration:run`)
   * and an instance refuses to start while a migration is pending.
   */
  @IsIn(['true', 'false'], { message: '$property must be true or false' })
  MIGRATIONS_RUN = 'true';

  /** Shared store for rate-limit counters, so all instances count one budget. */
  @IsOptional()
  @Matches(/^rediss?:\/\/\S+$/, { message: '$property must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;

  /**
   * Seconds between heartbeats on an idle event stream. Proxies drop quiet
   * connections (nginx after 60 s by default), and a client that hears
   * nothing for ~35 s reconnects, so the default stays well under both.
   */
  @Transform(({ value }) => toInteger(value))
  @IsInt({ message: '$property must be an integer between 1 and 300 (seconds)' })
  @Min(1, { message: '$property must be an integer between 1 and 300 (seconds)' })
  @Max(300, { message: '$property must be an integer between 1 and 300 (seconds)' })
  SSE_HEARTBEAT_SECONDS = 25;

  /** Open event streams per user on one instance: each holds a connection and a slot in memory. */
  @Transform(({ value }) => toInteger(value))
  @IsInt({ message: '$property must be an integer between 1 and 1000' })
  @Min(1, { message: '$property must be an integer between 1 and 1000' })
  @Max(1000, { message: '$property must be an integer between 1 and 1000' })
  SSE_MAX_STREAMS_PER_USER = 20;

  /**
   * Memory one instance may spend on its event streams, in MiB: what their
   * clients have not read yet, and each stream's sockets and objects. It
   * sets the default of SSE_MAX_STREAMS (the budget divided by the worst
   * case of one stream, SSE_STREAM_WORST_CASE_BYTES), and an explicit
   * SSE_MAX_STREAMS must fit in it.
   */
  @Transform(({ value }) => toInteger(value))
  @IsInt({ message: '$property must be an integer between 1 and 4096 (MiB)' })
  @Min(1, { message: '$property must be an integer between 1 and 4096 (MiB)' })
  @Max(4096, { message: '$property must be an integer between 1 and 4096 (MiB)' })
  SSE_MEMORY_MB = 64;

  /** Open event streams on one instance, all users together; past it, 503 and the client tries again. */
  @IsOptional()
  @Transform(({ value }) => toInteger(value))
  @IsInt({ message: '$property must be an integer between 1 and 100000' })
  @Min(1, { message: '$property must be an integer between 1 and 100000' })
  @Max(100_000, { message: '$property must be an integer between 1 and 100000' })
  SSE_MAX_STREAMS?: number;

  /**
   * Seconds one statement of a request may run before PostgreSQL cancels it
   * (the answer is a 503): well under any client's patience, so no request
   * holds a connection for long.
   */
  @Transform(({ value }) => toInteger(value))
  @IsInt({ message: '$property must be an integer between 1 and 300 (seconds)' })
  @Min(1, { message: '$property must be an integer between 1 and 300 (seconds)' })
  @Max(300, { message: '$property must be an integer between 1 and 300 (seconds)' })
  DB_STATEMENT_TIMEOUT = 5;

  /** Requests of one user that run at once on one instance; the rest queue. */
  @Transform(({ value }) => toInteger(value))
  @IsInt({ message: '$property must be an integer between 1 and 20' })
  @Min(1, { message: '$property must be an integer between 1 and 20' })
  @Max(20, { message: '$property must be an integer between 1 and 20' })
  DB_CONCURRENCY_PER_USER = 4;

  /** Days a task stays in the trash before it is deleted for good. */
  @Transform(({ value }) => toInteger(value))
  @IsInt({ message: '$property must be an integer between 1 and 3650 (days)' })
  @Min(1, { message: '$property must be an integer between 1 and 3650 (days)' })
  @Max(3650, { message: '$property must be an integer between 1 and 3650 (days)' })
  TRASH_RETENTION_DAYS = 30;

  /** Requests of one user that may wait for a turn on one instance; one more is a 429. */
  @Transform(({ value }) => toInteger(value))
  @IsInt({ message: '$property must be an integer between 0 and 1000' })
  @Min(0, { message: '$property must be an integer between 0 and 1000' })
  @Max(1000, { message: '$property must be an integer between 0 and 1000' })
  DB_QUEUE_PER_USER = 64;
}

/**
 * What one open event stream can cost at most, in bytes: the bytes its
 * client has not read yet (at most max(64 KiB, the largest event, ~70 kB):
 * see STREAM_BUFFER_BYTES and MAX_TASK_EVENT_BYTES in events/, whose tests
 * keep this number honest), plus its socket, HTTP and bookkeeping objects
 * (measured: see docs/reliability.md).
 */
export const SSE_STREAM_WORST_CASE_BYTES = 96 * 1024;

function toInteger(value: unknown): unknown {
  return typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
}

export interface AppConfig {
  readonly nodeEnv: 'development' | 'production' | 'test';
  readonly port: number;
  /** Unset means: start the embedded PostgreSQL under `dataDir` (never in production: see database-location.ts). */
  readonly databaseUrl?: string;
  readonly dataDir: string;
  readonly embeddedPgPort: number;
  readonly jwtSecret: string;
  readonly jwtExpiresInSeconds: number;
  /** A session lives this long after its last refresh. */
  readonly refreshTtlDays: number;
  /** A refresh token just rotated away still refreshes its session this long. */
  readonly refreshGraceSeconds: number;
  /** First retry delay of a failed webhook delivery; doubles with each attempt. */
  readonly webhookRetryBaseSeconds: number;
  readonly webhookAllowHttp: boolean;
  readonly webhookAllowPrivate: boolean;
  /** Webhook deliveries in flight at once on one instance. */
  readonly webhookConcurrency: number;
  readonly bcryptRounds: number;
  readonly corsOrigins: readonly string[];
  /** Requests per minute per client IP on login and signup; 0 = off. */
  readonly authRateLimit: number;
  readonly logLevel: string;
  readonly trustProxy: boolean | string;
  readonly dbStartupTimeoutSeconds: number;
  /** SIGTERM: seconds /health answers 503 before the listener closes. */
  readonly shutdownDelaySeconds: number;
  /** Seconds to receive a whole request; slower clients get a 408 and are disconnected. */
  readonly requestTimeoutSeconds: number;
  /** Run pending migrations at start (under an advisory lock), or only check that none is pending. */
  readonly migrationsRun: boolean;
  /** Unset: rate-limit counters live in each instance. */
  readonly redisUrl?: string;
  /** Seconds between `heartbeat` events on an event stream. */
  readonly sseHeartbeatSeconds: number;
  /** Open event streams one user may hold on one instance; past it, 429. */
  readonly sseMaxStreamsPerUser: number;
  /** Open event streams on one instance in all; past it, 503. */
  readonly sseMaxStreams: number;
  /** Bytes one instance may spend on event streams (SSE_MEMORY_MB). */
  readonly sseMemoryBytes: number;
  /** Seconds a request's statement may run (DB_STATEMENT_TIMEOUT). */
  readonly dbStatementTimeoutSeconds: number;
  /** One user's requests running at once, per instance. */
  readonly dbConcurrencyPerUser: number;
  /** One user's requests waiting for a turn, per instance; past it, 429. */
  readonly dbQueuePerUser: number;
  /** Days before the trash is emptied of a task. */
  readonly trashRetentionDays: number;
}

export const APP_CONFIG = Symbol('APP_CONFIG');

export class ConfigError extends Error {}

/**
 * Reads and validates the environment. Throws a ConfigError whose message
 * names every bad variable, so start-up can print one clear line and exit.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const raw: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const vars = plainToInstance(EnvironmentVariables, raw, { exposeDefaultValues: true });
  const errors = validateSync(vars, { whitelist: false });
  if (errors.length > 0) {
    const detail = errors
      .map((e) => Object.values(e.constraints ?? {})[0] ?? `${e.property} is invalid`)
      .join('; ');
    throw new ConfigError(`Invalid environment: ${detail}`);
  }

  const sseMemoryBytes = vars.SSE_MEMORY_MB * 1024 * 1024;
  const streamsInBudget = Math.floor(sseMemoryBytes / SSE_STREAM_WORST_CASE_BYTES);
  if (vars.SSE_MAX_STREAMS !== undefined && vars.SSE_MAX_STREAMS > streamsInBudget) {
    throw new ConfigError(
      `Invalid environment: SSE_MAX_STREAMS (${vars.SSE_MAX_STREAMS}) does not fit in SSE_MEMORY_MB (${vars.SSE_MEMORY_MB} MiB ` +
        `holds at most ${streamsInBudget} streams of ${SSE_STREAM_WORST_CASE_BYTES / 1024} KiB): raise SSE_MEMORY_MB or lower SSE_MAX_STREAMS`,
    );
  }

  // Production runs on a real database with a secret of its own: both are
  // named in one line when missing, rather than one per attempt.
  if (vars.NODE_ENV === 'production') {
    const missing = [
      vars.DATABASE_URL === undefined &&
        'DATABASE_URL is required when NODE_ENV=production (the embedded PostgreSQL is for development and tests only)',
      vars.JWT_SECRET === undefined && 'JWT_SECRET is required when NODE_ENV=production (at least 32 characters)',
    ].filter((problem) => problem !== false);
    if (missing.length > 0) throw new ConfigError(`Invalid environment: ${missing.join('; ')}`);
  }

  const dataDir = resolve(vars.DATA_DIR);
  const jwtSecret = vars.JWT_SECRET ?? developmentSecret(dataDir);

  return Object.freeze({
    nodeEnv: vars.NODE_ENV as AppConfig['nodeEnv'],
    port: vars.PORT,
    databaseUrl: vars.DATABASE_URL,
    dataDir,
    embeddedPgPort: vars.EMBEDDED_PG_PORT,
    jwtSecret,
    jwtExpiresInSeconds: durationToSeconds(vars.JWT_EXPIRES_IN),
    refreshTtlDays: vars.REFRESH_TTL_DAYS,
    refreshGraceSeconds: vars.REFRESH_GRACE_SECONDS,
    webhookRetryBaseSeconds: vars.WEBHOOK_RETRY_BASE_SECONDS,
    webhookAllowHttp: vars.WEBHOOK_ALLOW_HTTP === 'true',
    webhookAllowPrivate: vars.WEBHOOK_ALLOW_PRIVATE === 'true',
    webhookConcurrency: vars.WEBHOOK_CONCURRENCY,
    bcryptRounds: vars.BCRYPT_ROUNDS,
    corsOrigins: vars.CORS_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean),
    authRateLimit: vars.AUTH_RATE_LIMIT,
    logLevel: vars.LOG_LEVEL,
    dbStartupTimeoutSeconds: vars.DB_STARTUP_TIMEOUT,
    shutdownDelaySeconds: vars.SHUTDOWN_DELAY,
    requestTimeoutSeconds: vars.REQUEST_TIMEOUT,
    migrationsRun: vars.MIGRATIONS_RUN === 'true',
    redisUrl: vars.REDIS_URL,
    sseHeartbeatSeconds: vars.SSE_HEARTBEAT_SECONDS,
    sseMaxStreamsPerUser: vars.SSE_MAX_STREAMS_PER_USER,
    sseMaxStreams: vars.SSE_MAX_STREAMS ?? streamsInBudget,
    sseMemoryBytes,
    dbStatementTimeoutSeconds: vars.DB_STATEMENT_TIMEOUT,
    dbConcurrencyPerUser: vars.DB_CONCURRENCY_PER_USER,
    dbQueuePerUser: vars.DB_QUEUE_PER_USER,
    trashRetentionDays: vars.TRASH_RETENTION_DAYS,
    trustProxy:
      vars.TRUST_PROXY === undefined || vars.TRUST_PROXY === 'false'
        ? false
        : vars.TRUST_PROXY === 'true'
          ? true
          : vars.TRUST_PROXY,
  });
}

function durationToSeconds(value: string): number {
  const unit = value.at(-1) ?? '';
  const factor = { s: 1, m: 60, h: 3600, d: 86400 }[unit];
  return factor ? Number(value.slice(0, -1)) * factor : Number(value);
}

/**
 * Outside production (which must be given a secret), one is generated on
 * first run and kept under DATA_DIR, so tokens survive a restart of `npm start`.
 */
function developmentSecret(dataDir: string): string {
  const file = join(dataDir, 'jwt-secret');
  if (existsSync(file)) {
    const secret = readFileSync(file, 'utf8').trim();
    if (secret.length >= 32) return secret;
  }
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}
