import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createApp, openApiDocument } from './app.setup.js';
import { loadConfig } from './config/app-config.js';
import { resolveDatabase } from './database/database-location.js';

/**
 * Writes the OpenAPI document (the contract the web client and REST
 * integrations are built from) to docs/openapi.json. A test fails when the
 * committed file differs from what the API serves.
 */
async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'evo-openapi-'));
  // Any free port: a running `npm start` may hold the usual one.
  const config = loadConfig({ ...process.env, DATA_DIR: dataDir, EMBEDDED_PG_PORT: '0', LOG_LEVEL: 'warn', JWT_SECRET: 'x'.repeat(32) });
  const database = await resolveDatabase(config);
  try {
    const app = await createApp({ ...config, databaseUrl: database.url });
    const target = resolve(process.argv[2] ?? join(__dirname, '../../docs/openapi.json'));
    writeFileSync(target, `${JSON.stringify(openApiDocument(app), null, 2)}\n`);
    await app.close();
    process.stdout.write(`OpenAPI document written to ${target}\n`);
  } finally {
    await database.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`Could not write the OpenAPI document: ${(error as Error).message}\n`);
  process.exit(1);
});
