import { type AppConfig, ConfigError } from '../config/app-config.js';
import { embeddedDatabaseUrl, startEmbeddedDatabase } from './embedded-database.js';

/** Which PostgreSQL a process uses, and how to let go of it. */
export interface DatabaseLocation {
  readonly url: string;
  /** For the start-up log line. */
  readonly source: 'DATABASE_URL' | 'embedded PostgreSQL';
  /** Stops the embedded server when this process started it; nothing for DATABASE_URL. */
  stop(): Promise<void>;
}

type DatabaseSettings = Pick<AppConfig, 'nodeEnv' | 'databaseUrl' | 'dataDir' | 'embeddedPgPort'>;

/**
 * The one rule for every entry point (the API, `migration:run`, the OpenAPI
 * writer): DATABASE_URL when set, otherwise an embedded PostgreSQL under
 * DATA_DIR on EMBEDDED_PG_PORT. The embedded server is for development and
 * tests: loadConfig already refuses production without DATABASE_URL, and this
 * refuses again so no other caller can start one there.
 */
export async function resolveDatabase(config: DatabaseSettings): Promise<DatabaseLocation> {
  if (config.databaseUrl) return { url: config.databaseUrl, source: 'DATABASE_URL', stop: () => Promise.resolve() };
  if (config.nodeEnv === 'production') throw new ConfigError(DATABASE_URL_REQUIRED);
  const embedded = await startEmbeddedDatabase(config.dataDir, config.embeddedPgPort);
  return { url: embedded.url, source: 'embedded PostgreSQL', stop: () => embedded.stop() };
}

/**
 * The same rule for a process that must not start a server of its own (the
 * TypeORM CLI): DATABASE_URL, or the embedded server a running `npm start`
 * holds on EMBEDDED_PG_PORT.
 */
export function databaseUrlOfRunningApi(config: DatabaseSettings): string {
  if (config.databaseUrl) return config.databaseUrl;
  if (config.nodeEnv === 'production') throw new ConfigError(DATABASE_URL_REQUIRED);
  return embeddedDatabaseUrl(config.embeddedPgPort);
}

const DATABASE_URL_REQUIRED =
  'Invalid environment: DATABASE_URL is required when NODE_ENV=production (the embedded PostgreSQL is for development and tests only)';
