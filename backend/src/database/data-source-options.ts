import { Logger } from '@nestjs/common';
import { type DataSource, type DataSourceOptions, MigrationExecutor, type QueryRunner } from 'typeorm';
import { Task } from '../tasks/task.entity.js';
import { clientWithDeadline } from './query-deadline.js';
import { User } from '../users/user.entity.js';
import { CreateUsersAndTasks1764165600000 } from './migrations/1764165600000-create-users-and-tasks.js';
import { AddSortIndexes1764172800000 } from './migrations/1764172800000-add-sort-indexes.js';
import { AddSearchIndexes1764180000000 } from './migrations/1764180000000-add-search-indexes.js';
import { AddVersionsIdempotencyEvents1764190000000 } from './migrations/1764190000000-add-versions-idempotency-events.js';
import { AddPerUserEventSequences1764200000000 } from './migrations/1764200000000-add-per-user-event-sequences.js';
import { NormalizeEmailsAndTags1764210000000 } from './migrations/1764210000000-normalize-emails-and-tags.js';
import { AddUserTimeZone1764220000000 } from './migrations/1764220000000-add-user-time-zone.js';
import { AddProjectsSubtasksRecurrenceTrashViews1764230000000 } from './migrations/1764230000000-add-projects-subtasks-recurrence-trash-views.js';
import { AddSessionsAndApiTokens1764240000000 } from './migrations/1764240000000-add-sessions-and-api-tokens.js';
import { AddWebhooks1764241000000 } from './migrations/1764241000000-add-webhooks.js';
import { AddBulkTaskEvents1764242000000 } from './migrations/1764242000000-add-bulk-task-events.js';
import { ApiToken } from '../api-tokens/api-token.entity.js';
import { RefreshToken, Session } from '../sessions/session.entity.js';
import { Webhook, WebhookDelivery } from '../webhooks/webhook.entity.js';
import { Project } from '../projects/project.entity.js';
import { View } from '../views/view.entity.js';
import { EventSequence, EventTicket, OutboxEvent } from '../events/outbox-event.entity.js';
import { IdempotencyKey } from '../idempotency/idempotency-key.entity.js';
import { EmailNormalizationConflict } from '../users/email-normalization-conflict.entity.js';

/** Every migration, in order. Listed, not globbed, so ts-jest and dist load the same set. */
export const MIGRATIONS = [
  CreateUsersAndTasks1764165600000,
  AddSortIndexes1764172800000,
  AddSearchIndexes1764180000000,
  AddVersionsIdempotencyEvents1764190000000,
  AddPerUserEventSequences1764200000000,
  NormalizeEmailsAndTags1764210000000,
  AddUserTimeZone1764220000000,
  AddProjectsSubtasksRecurrenceTrashViews1764230000000,
  AddSessionsAndApiTokens1764240000000,
  AddWebhooks1764241000000,
  AddBulkTaskEvents1764242000000,
];

/** The name of the second connection pool, for work no request waits on (see dataSourceOptions). */
export const BACKGROUND = 'background';

/** What a pool serves: it sets the pool's size and how long one statement may run. */
export interface PoolOptions {
  /** Connections in the pool. */
  readonly size: number;
  /** Milliseconds one statement may run before PostgreSQL cancels it. */
  readonly statementTimeoutMs: number;
  readonly applicationName: string;
}

/**
 * Requests: their statements stop well before a client gives up (a search
 * that would run longer is cancelled, not left holding a connection).
 */
export const REQUEST_POOL: PoolOptions = { size: 20, statementTimeoutMs: 5_000, applicationName: 'evolution-of-todo-api' };

/**
 * Background work (the event poll and catch-up reads, purges) gets a pool of
 * its own, so a flood of requests that fills the request pool cannot stop
 * live events or purges.
 */
export const BACKGROUND_POOL: PoolOptions = {
  size: 4,
  statementTimeoutMs: 60_000,
  applicationName: 'evolution-of-todo-api:background',
};

export function dataSourceOptions(url: string, pool: PoolOptions = REQUEST_POOL): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: [
      User,
      Task,
      Project,
      View,
      IdempotencyKey,
      OutboxEvent,
      EventSequence,
      EventTicket,
      EmailNormalizationConflict,
      Session,
      RefreshToken,
      ApiToken,
      Webhook,
      WebhookDelivery,
    ],
    migrations: MIGRATIONS,
    migrationsTransactionMode: 'each',
    // Schema changes go through committed migrations only.
    synchronize: false,
    migrationsRun: false,
    // A missing value must never widen a query to every row.
    invalidWhereValuesBehavior: { null: 'throw', undefined: 'throw' },
    logging: false,
    extra: {
      max: pool.size,
      // Bounded waits: a request fails fast with 503 instead of hanging when
      // the database is away.
      connectionTimeoutMillis: 5000,
      // The server cancels first; the client-side limit only catches a
      // connection that stopped answering altogether.
      statement_timeout: pool.statementTimeoutMs,
      Client: clientWithDeadline(pool.statementTimeoutMs + 5000),
      idleTimeoutMillis: 30000,
      application_name: pool.applicationName,
    },
  };
}

/**
 * A schema this build needs besides its migrations (pg-boss's), brought up to
 * date (`run`) or checked (`check`) on the connection that holds the
 * migration lock, right after the migrations.
 */
export type SchemaStep = (
  client: { query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }> },
  mode: 'run' | 'check',
) => Promise<void>;

/** Serializes migrations across API instances that start at the same moment. */
const MIGRATION_LOCK_KEY = 72_616_511;

/**
 * Brings the schema up to date (`run`, the default), or only checks it
 * (`check`, MIGRATIONS_RUN=false, when a release step migrates), under an
 * advisory lock: instances that start together take turns, the first applies
 * the migrations, the others find nothing pending. A check never sees a half-
 * migrated schema either, since it waits for a migration in progress.
 *
 * Refuses (throws) when a migration this build needs is still pending, so an
 * instance never serves on an older schema than its code. Migrations the
 * database has but this build does not know (a newer build ran them; a
 * rolling deploy or a rollback) are logged and tolerated: migrations are
 * backward compatible by rule (expand, then contract once no old code runs).
 */
export async function runMigrations(dataSource: DataSource, mode: 'run' | 'check' = 'run', steps: readonly SchemaStep[] = []): Promise<void> {
  const logger = new Logger('Migrations');
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      const executor = new MigrationExecutor(dataSource, runner);
      const known = new Set(dataSource.migrations.map((m) => m.name ?? m.constructor.name));
      const unknown = (await executor.getExecutedMigrations()).map((m) => m.name).filter((name) => !known.has(name));
      if (unknown.length > 0) {
        logger.warn(
          `The database has ${unknown.length} migration(s) this build does not know (${unknown.join(', ')}): ` +
            'a newer build migrated it. Serving anyway: migrations stay backward compatible (expand/contract).',
        );
      }
      if (mode === 'check') {
        const pending = (await executor.getPendingMigrations()).map((m) => m.name);
        if (pending.length > 0) {
          throw new Error(
            `the database schema is older than this build: ${pending.length} pending migration(s) (${pending.join(', ')}). ` +
              'Run the release step (npm run migration:run, or node dist/database/migrate.js) first, or start with MIGRATIONS_RUN=true',
          );
        }
        for (const step of steps) await step(lockedClient(runner), 'check');
        logger.log(`Schema up to date (${known.size} migrations; MIGRATIONS_RUN=false, checked only)`);
        return;
      }
      // A migration may rewrite a large table: the requests' statement
      // timeout is not for it. Session-level, on this connection only.
      await runner.query('SET statement_timeout = 0');
      executor.transaction = 'each';
      const applied = await executor.executePendingMigrations();
      for (const step of steps) await step(lockedClient(runner), 'run');
      logger.log(
        applied.length > 0
          ? `Applied ${applied.length} migration(s): ${applied.map((m) => m.name).join(', ')}`
          : `Schema up to date (${known.size} migrations, none pending)`,
      );
    } finally {
      await runner.query('RESET statement_timeout');
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await runner.release();
  }
}

/** The pg client under a query runner: the connection that holds the advisory lock. */
function lockedClient(runner: QueryRunner): { query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }> } {
  return (runner as unknown as { databaseConnection: { query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }> } })
    .databaseConnection;
}
