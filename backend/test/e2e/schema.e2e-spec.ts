import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { createTestDatabase } from '../support/test-app';

const MIGRATE = fileURLToPath(new URL('../../dist/database/migrate.js', import.meta.url));

/**
 * The entities and the committed migrations describe the same schema, so
 * `npm run migration:generate` proposes only real changes (never, say, to drop
 * the indexes the migrations made), and an entity change without its
 * migration fails here.
 */
describe('schema', () => {
  it('matches the entities after the migrations: nothing for migration:generate to do', async () => {
    const database = await createTestDatabase();
    const dataSource = new DataSource(dataSourceOptions(database.url));
    try {
      const migrated = spawnSync(process.execPath, [MIGRATE], {
        env: { PATH: process.env.PATH, DATABASE_URL: database.url },
        encoding: 'utf8',
      });
      expect(migrated.status).toBe(0);
      await dataSource.initialize();
      const pending = await dataSource.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((q) => q.query)).toEqual([]);
    } finally {
      if (dataSource.isInitialized) await dataSource.destroy();
      await database.drop();
    }
  });
});
