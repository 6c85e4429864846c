import { DataSource } from 'typeorm';
import { loadConfig } from '../config/app-config.js';
import { resolveDatabase } from './database-location.js';
import { dataSourceOptions, runMigrations } from './data-source-options.js';
import { connectWithRetry } from './wait-for-database.js';
import { installJobQueue } from '../webhooks/job-queue-schema.js';

/** `npm run migration:run`: brings the schema up to date without starting the API. */
async function main(): Promise<void> {
  const config = loadConfig();
  const database = await resolveDatabase(config);
  try {
    await connectWithRetry(database.url, config.dbStartupTimeoutSeconds * 1000);
    const dataSource = await new DataSource(dataSourceOptions(database.url)).initialize();
    await runMigrations(dataSource, 'run', [installJobQueue]);
    const applied = await dataSource.query('SELECT name FROM migrations ORDER BY id');
    await dataSource.destroy();
    process.stdout.write(`Schema up to date: ${applied.map((m: { name: string }) => m.name).join(', ')}\n`);
  } finally {
    await database.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`Migration failed: ${(error as Error).message}\n`);
  process.exit(1);
});
