import { Module } from '@nestjs/common';
import { IdempotencyModule } from '../idempotency/idempotency.module.js';
import { UsersModule } from '../users/users.module.js';
import { ViewOwnershipGuard } from './view-ownership.guard.js';
import { ViewsController } from './views.controller.js';
import { ViewsRepository } from './views.repository.js';
import { ViewsService } from './views.service.js';

@Module({
  imports: [UsersModule, IdempotencyModule],
  controllers: [ViewsController],
  providers: [ViewsService, ViewsRepository, ViewOwnershipGuard],
})
export class ViewsModule {}
