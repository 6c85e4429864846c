import { forwardRef, Module } from '@nestjs/common';
import { IdempotencyModule } from '../idempotency/idempotency.module.js';
import { TasksModule } from '../tasks/tasks.module.js';
import { UsersModule } from '../users/users.module.js';
import { ProjectOwnershipGuard } from './project-ownership.guard.js';
import { ProjectsController } from './projects.controller.js';
import { ProjectsRepository } from './projects.repository.js';
import { ProjectsService } from './projects.service.js';

/**
 * Projects. Tasks live in projects (TasksModule reads ProjectsRepository),
 * and deleting a project trashes or moves its tasks (ProjectsService uses
 * TasksRepository): the two modules import each other, through forwardRef.
 */
@Module({
  imports: [UsersModule, IdempotencyModule, forwardRef(() => TasksModule)],
  controllers: [ProjectsController],
  providers: [ProjectsService, ProjectsRepository, ProjectOwnershipGuard],
  exports: [ProjectsRepository],
})
export class ProjectsModule {}
