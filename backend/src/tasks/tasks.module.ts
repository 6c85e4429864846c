import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { UsersModule } from '../users/users.module.js';
import { IdempotencyKeysPurge } from './idempotency-keys.purge.js';
import { Task } from './task.entity.js';
import { TaskOwnershipGuard } from './task-ownership.guard.js';
import { TasksController } from './tasks.controller.js';
import { TasksService } from './tasks.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([Task]), UsersModule],
  controllers: [TasksController],
  providers: [TasksService, TaskOwnershipGuard, IdempotencyKeysPurge],
})
export class TasksModule {}
