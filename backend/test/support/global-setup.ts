import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedDatabase } from '../../src/database/embedded-database';

/**
 * One PostgreSQL for the whole run: DATABASE_URL when set, otherwise an
 * embedded server on a free port. Each test file then gets its own database.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.DATABASE_URL) {
    process.env.TEST_ADMIN_DATABASE_URL = process.env.DATABASE_URL;
    return;
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'evo-test-pg-'));
  const server = await startEmbeddedDatabase(dataDir, 0);
  process.env.TEST_ADMIN_DATABASE_URL = server.url;
  (globalThis as { __EMBEDDED_PG__?: typeof server }).__EMBEDDED_PG__ = server;
}
