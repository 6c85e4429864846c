import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig, SSE_STREAM_WORST_CASE_BYTES } from './app-config.js';

describe('loadConfig', () => {
  const dataDir = () => mkdtempSync(join(tmpdir(), 'evo-config-'));
  const secret = 'x'.repeat(32);

  it('applies the documented defaults', () => {
    const config = loadConfig({ DATA_DIR: dataDir(), JWT_SECRET: secret });
    expect(config).toMatchObject({
      port: 3000,
      databaseUrl: undefined,
      jwtExpiresInSeconds: 900,
      refreshTtlDays: 30,
      refreshGraceSeconds: 10,
      webhookRetryBaseSeconds: 30,
      webhookAllowHttp: false,
      webhookAllowPrivate: false,
      webhookConcurrency: 8,
      bcryptRounds: 12,
      corsOrigins: ['http://localhost:4200'],
      authRateLimit: 10,
      logLevel: 'info',
      dbStartupTimeoutSeconds: 30,
      shutdownDelaySeconds: 0,
      migrationsRun: true,
      redisUrl: undefined,
      sseHeartbeatSeconds: 25,
      sseMaxStreamsPerUser: 20,
      sseMemoryBytes: 64 * 1024 * 1024,
      // As many streams as fit in SSE_MEMORY_MB at their worst case each.
      sseMaxStreams: Math.floor((64 * 1024 * 1024) / SSE_STREAM_WORST_CASE_BYTES),
      dbStatementTimeoutSeconds: 5,
      dbConcurrencyPerUser: 4,
      dbQueuePerUser: 64,
    });
  });

  it('sizes the stream cap from the memory budget, and refuses a cap that does not fit in it', () => {
    const base = { DATA_DIR: dataDir(), JWT_SECRET: secret };
    expect(loadConfig({ ...base, SSE_MEMORY_MB: '384' }).sseMaxStreams).toBe(4096);
    expect(loadConfig({ ...base, SSE_MEMORY_MB: '384', SSE_MAX_STREAMS: '4000' }).sseMaxStreams).toBe(4000);
    expect(() => loadConfig({ ...base, SSE_MAX_STREAMS: '4000' })).toThrow(
      /SSE_MAX_STREAMS \(4000\) does not fit in SSE_MEMORY_MB \(64 MiB holds at most 682 streams/,
    );
    expect(() => loadConfig({ ...base, SSE_MEMORY_MB: '0' })).toThrow(ConfigError);
  });

  it('parses durations and lists', () => {
    const config = loadConfig({
      DATA_DIR: dataDir(),
      JWT_SECRET: secret,
      JWT_EXPIRES_IN: '1h',
      CORS_ORIGINS: 'https://a.example, https://b.example',
      AUTH_RATE_LIMIT: '0',
    });
    expect(config.jwtExpiresInSeconds).toBe(3600);
    expect(config.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
    expect(config.authRateLimit).toBe(0);
  });

  it.each([
    [{ PORT: 'abc' }, /PORT/],
    [{ PORT: '70000' }, /PORT/],
    [{ JWT_SECRET: 'short' }, /JWT_SECRET must be at least 32 characters/],
    [{ BCRYPT_ROUNDS: '3' }, /BCRYPT_ROUNDS/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL/],
    [{ JWT_EXPIRES_IN: 'soon' }, /JWT_EXPIRES_IN/],
    [{ REFRESH_TTL_DAYS: '0' }, /REFRESH_TTL_DAYS/],
    [{ REFRESH_GRACE_SECONDS: '-1' }, /REFRESH_GRACE_SECONDS/],
    [{ WEBHOOK_RETRY_BASE_SECONDS: '0' }, /WEBHOOK_RETRY_BASE_SECONDS/],
    [{ WEBHOOK_ALLOW_HTTP: 'yes' }, /WEBHOOK_ALLOW_HTTP/],
    [{ WEBHOOK_ALLOW_PRIVATE: '1' }, /WEBHOOK_ALLOW_PRIVATE/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    [{ SHUTDOWN_DELAY: '61' }, /SHUTDOWN_DELAY/],
    [{ SHUTDOWN_DELAY: '1.5' }, /SHUTDOWN_DELAY/],
    [{ REQUEST_TIMEOUT: '0' }, /REQUEST_TIMEOUT/],
    [{ MIGRATIONS_RUN: 'no' }, /MIGRATIONS_RUN must be true or false/],
    [{ REDIS_URL: 'localhost:6379' }, /REDIS_URL must be a redis/],
    [{ SSE_HEARTBEAT_SECONDS: '0' }, /SSE_HEARTBEAT_SECONDS/],
    [{ SSE_MAX_STREAMS_PER_USER: 'many' }, /SSE_MAX_STREAMS_PER_USER/],
    [{ SSE_MAX_STREAMS: '0' }, /SSE_MAX_STREAMS must be an integer between 1 and 100000/],
    [{ SSE_MAX_STREAMS: '100001' }, /SSE_MAX_STREAMS must be/],
  ])('names the bad variable in %p', (env, message) => {
    expect(() => loadConfig({ DATA_DIR: dataDir(), JWT_SECRET: secret, ...env })).toThrow(message);
  });

  it('reads the deployment switches', () => {
    const config = loadConfig({
      DATA_DIR: dataDir(),
      JWT_SECRET: secret,
      MIGRATIONS_RUN: 'false',
      REDIS_URL: 'rediss://:pw@cache.example:6380/0',
    });
    expect(config.migrationsRun).toBe(false);
    expect(config.redisUrl).toBe('rediss://:pw@cache.example:6380/0');
  });

  it('requires JWT_SECRET in production', () => {
    const env = { NODE_ENV: 'production', DATA_DIR: dataDir(), DATABASE_URL: 'postgres://db.example/todo' };
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(/^Invalid environment: JWT_SECRET is required when NODE_ENV=production/);
  });

  it('requires DATABASE_URL in production: the embedded PostgreSQL is for development and tests', () => {
    const env = { NODE_ENV: 'production', DATA_DIR: dataDir(), JWT_SECRET: secret };
    expect(() => loadConfig(env)).toThrow(
      'Invalid environment: DATABASE_URL is required when NODE_ENV=production (the embedded PostgreSQL is for development and tests only)',
    );
    expect(() => loadConfig({ ...env, JWT_SECRET: '' })).toThrow(/DATABASE_URL is required .*; JWT_SECRET is required/);
    expect(loadConfig({ ...env, DATABASE_URL: 'postgres://db.example/todo' }).databaseUrl).toBe('postgres://db.example/todo');
    for (const nodeEnv of ['development', 'test']) expect(loadConfig({ ...env, NODE_ENV: nodeEnv }).databaseUrl).toBeUndefined();
  });

  it('generates a development secret once and keeps it under DATA_DIR', () => {
    const dir = dataDir();
    const first = loadConfig({ DATA_DIR: dir });
    const second = loadConfig({ DATA_DIR: dir });
    expect(first.jwtSecret.length).toBeGreaterThanOrEqual(32);
    expect(second.jwtSecret).toBe(first.jwtSecret);
    expect(readFileSync(join(dir, 'jwt-secret'), 'utf8')).toBe(first.jwtSecret);
  });
});
