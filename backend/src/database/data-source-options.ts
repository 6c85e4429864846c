import type { DataSourceOptions } from 'typeorm';
import { Task } from '../tasks/task.entity.js';
import { User } from '../users/user.entity.js';
import { CreateUsersAndTasks1764165600000 } from './migrations/1764165600000-create-users-and-tasks.js';
import { AddSortIndexes1764172800000 } from './migrations/1764172800000-add-sort-indexes.js';

/** Every migration, in order. Listed, not globbed, so ts-jest and dist load the same set. */
export const MIGRATIONS = [CreateUsersAndTasks1764165600000, AddSortIndexes1764172800000];

export function dataSourceOptions(url: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: [User, Task],
    migrations: MIGRATIONS,
    migrationsTransactionMode: 'each',
    // Schema changes go through committed migrations only.
    synchronize: false,
    migrationsRun: false,
    // A missing value must never widen a query to every row.
    invalidWhereValuesBehavior: { null: 'throw', undefined: 'throw' },
    logging: false,
    extra: {
      max: 20,
      // Bounded waits: a request fails fast with 503 instead of hanging when
      // the database is away.
      connectionTimeoutMillis: 5000,
      query_timeout: 10000,
      statement_timeout: 10000,
      idleTimeoutMillis: 30000,
      application_name: 'evolution-of-todo-api',
    },
  };
}

/** Serializes migrations across API instances that start at the same moment. */
const MIGRATION_LOCK_KEY = 72_616_511;

export async function runMigrations(dataSource: import('typeorm').DataSource): Promise<void> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await dataSource.runMigrations({ transaction: 'each' });
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await runner.release();
  }
}
