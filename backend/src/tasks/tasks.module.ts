import { forwardRef, Module } from '@nestjs/common';
import { IdempotencyModule } from '../idempotency/idempotency.module.js';
import { ProjectsModule } from '../projects/projects.module.js';
import { UsersModule } from '../users/users.module.js';
import { TaskOwnershipGuard } from './task-ownership.guard.js';
import { TasksController } from './tasks.controller.js';
import { TasksRepository } from './tasks.repository.js';
import { TasksService } from './tasks.service.js';
import { TrashController } from './trash.controller.js';
import { TrashPurge } from './trash.purge.js';
import { TrashService } from './trash.service.js';

@Module({
  imports: [UsersModule, IdempotencyModule, forwardRef(() => ProjectsModule)],
  controllers: [TasksController, TrashController],
  providers: [TasksService, TasksRepository, TaskOwnershipGuard, TrashService, TrashPurge],
  exports: [TasksRepository],
})
export class TasksModule {}
