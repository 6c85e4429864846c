import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccountModule } from './account/account.module.js';
import { ApiTokensModule } from './api-tokens/api-tokens.module.js';
import { AuthModule } from './auth/auth.module.js';
import { DataTransferModule } from './data-transfer/data-transfer.module.js';
import { JwtAuthGuard } from './auth/jwt-auth.guard.js';
import { HttpExceptionFilter } from './common/http-exception.filter.js';
import { APP_CONFIG, type AppConfig } from './config/app-config.js';
import { ScopeGuard } from './common/scopes.js';
import { UserWorkGuard } from './common/user-work-limit.js';
import { UserWorkModule } from './common/user-work.module.js';
import { BACKGROUND, BACKGROUND_POOL, dataSourceOptions, REQUEST_POOL } from './database/data-source-options.js';
import { SqlDebugLogger } from './database/query-logger.js';
import { EventsModule } from './events/events.module.js';
import { HealthModule } from './health/health.module.js';
import { ProjectsModule } from './projects/projects.module.js';
import { SessionsModule } from './sessions/sessions.module.js';
import { TasksModule } from './tasks/tasks.module.js';
import { UsersModule } from './users/users.module.js';
import { ViewsModule } from './views/views.module.js';
import { WebhooksModule } from './webhooks/webhooks.module.js';

@Module({})
export class AppModule {
  /** `config.databaseUrl` is resolved by then: the embedded server, if any, is already up. */
  static forRoot(config: AppConfig & { databaseUrl: string }): DynamicModule {
    return {
      module: AppModule,
      imports: [
        { module: ConfigHolder, global: true, providers: [{ provide: APP_CONFIG, useValue: config }], exports: [APP_CONFIG] },
        TypeOrmModule.forRoot({
          ...dataSourceOptions(config.databaseUrl, { ...REQUEST_POOL, statementTimeoutMs: config.dbStatementTimeoutSeconds * 1000 }),
          retryAttempts: 0,
          // Only at debug level: formatting every statement costs time on the hot path.
          ...(['debug', 'trace'].includes(config.logLevel) && { logging: ['query', 'error'], logger: new SqlDebugLogger() }),
        }),
        // The event poll, catch-up reads and purges: never behind the requests.
        TypeOrmModule.forRoot({ ...dataSourceOptions(config.databaseUrl, BACKGROUND_POOL), name: BACKGROUND, retryAttempts: 0 }),
        UserWorkModule,
        // Periodic purges of expired rows (idempotency keys, old events, used tickets).
        ScheduleModule.forRoot(),
        HealthModule,
        AuthModule,
        UsersModule,
        SessionsModule,
        ApiTokensModule,
        TasksModule,
        ProjectsModule,
        ViewsModule,
        EventsModule,
        WebhooksModule,
        AccountModule,
        DataTransferModule,
      ],
      providers: [
        // In this order: a request is authenticated and its scope checked before it takes a share of the database.
        { provide: APP_GUARD, useClass: JwtAuthGuard },
        // Personal API tokens reach only the routes their scopes allow.
        { provide: APP_GUARD, useClass: ScopeGuard },
        { provide: APP_GUARD, useExisting: UserWorkGuard },
        { provide: APP_FILTER, useClass: HttpExceptionFilter },
      ],
    };
  }
}

@Module({})
class ConfigHolder {}
