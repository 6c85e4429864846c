import { createSecretKey } from 'node:crypto';
import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { ApiTokensModule } from '../api-tokens/api-tokens.module.js';
import { SessionsModule } from '../sessions/sessions.module.js';
import { UsersModule } from '../users/users.module.js';
import { EventHub } from './event-hub.js';
import { EventStreamAuthGuard } from './event-stream-auth.guard.js';
import { EventTicketsService, TICKET_TTL_SECONDS, ticketSigningKey } from './event-tickets.service.js';
import { EventsController } from './events.controller.js';
import { EventsService } from './events.service.js';
import { EventTicket, OutboxEvent } from './outbox-event.entity.js';
import { EventLog } from './event-log.js';
import { EventPurge } from './event-purge.js';

@Module({
  imports: [
    TypeOrmModule.forFeature([OutboxEvent, EventTicket]),
    UsersModule,
    SessionsModule,
    ApiTokensModule,
    // A JwtService of this module's own, holding the ticket key: AuthModule's
    // (the bearer key) is not visible here, so neither can sign for the other.
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        secret: createSecretKey(ticketSigningKey(config.jwtSecret)),
        signOptions: { algorithm: 'HS256', expiresIn: TICKET_TTL_SECONDS },
        verifyOptions: { algorithms: ['HS256'] },
      }),
    }),
  ],
  controllers: [EventsController],
  providers: [EventsService, EventTicketsService, EventHub, EventLog, EventPurge, EventStreamAuthGuard],
  exports: [EventLog],
})
export class EventsModule {}
