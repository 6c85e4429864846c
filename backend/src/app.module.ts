import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from './auth/auth.module.js';
import { JwtAuthGuard } from './auth/jwt-auth.guard.js';
import { HttpExceptionFilter } from './common/http-exception.filter.js';
import { APP_CONFIG, type AppConfig } from './config/app-config.js';
import { dataSourceOptions } from './database/data-source-options.js';
import { SqlDebugLogger } from './database/query-logger.js';
import { EventsModule } from './events/events.module.js';
import { HealthModule } from './health/health.module.js';
import { TasksModule } from './tasks/tasks.module.js';
import { UsersModule } from './users/users.module.js';

@Module({})
export class AppModule {
  /** `config.databaseUrl` is resolved by then: the embedded server, if any, is already up. */
  static forRoot(config: AppConfig & { databaseUrl: string }): DynamicModule {
    return {
      module: AppModule,
      imports: [
        { module: ConfigHolder, global: true, providers: [{ provide: APP_CONFIG, useValue: config }], exports: [APP_CONFIG] },
        TypeOrmModule.forRoot({
          ...dataSourceOptions(config.databaseUrl),
          retryAttempts: 0,
          // Only at debug level: formatting every statement costs time on the hot path.
          ...(['debug', 'trace'].includes(config.logLevel) && { logging: ['query', 'error'], logger: new SqlDebugLogger() }),
        }),
        // Periodic purges of expired rows (idempotency keys, old events, used tickets).
        ScheduleModule.forRoot(),
        HealthModule,
        AuthModule,
        UsersModule,
        TasksModule,
        EventsModule,
      ],
      providers: [
        { provide: APP_GUARD, useClass: JwtAuthGuard },
        { provide: APP_FILTER, useClass: HttpExceptionFilter },
      ],
    };
  }
}

@Module({})
class ConfigHolder {}
