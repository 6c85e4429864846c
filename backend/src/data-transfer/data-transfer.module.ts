import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module.js';
import { IdempotencyModule } from '../idempotency/idempotency.module.js';
import { DataTransferController } from './data-transfer.controller.js';
import { DataTransferRepository } from './data-transfer.repository.js';
import { ExportService } from './export.service.js';
import { ImportService } from './import.service.js';

@Module({
  imports: [EventsModule, IdempotencyModule],
  controllers: [DataTransferController],
  providers: [ExportService, ImportService, DataTransferRepository],
})
export class DataTransferModule {}
