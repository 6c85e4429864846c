import { Module } from '@nestjs/common';
import { IdempotencyKeysPurge } from './idempotency-keys.purge.js';
import { IdempotencyService } from './idempotency.service.js';

@Module({
  providers: [IdempotencyService, IdempotencyKeysPurge],
  exports: [IdempotencyService],
})
export class IdempotencyModule {}
