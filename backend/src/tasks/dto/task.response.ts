import { ApiProperty } from '@nestjs/swagger';
import { MAX_TAGS } from './create-task.dto.js';
import { TASK_PRIORITIES, TASK_STATUSES, type TaskPriority, type TaskStatus } from '../task.entity.js';

export class TaskResponse {
  @ApiProperty({ format: 'uuid', example: '7d0c4c1e-52f3-4a8b-9b7e-0c9f7f0d2a11' })
  id!: string;

  @ApiProperty({ format: 'uuid', example: '1b4e28ba-2fa1-11d2-883f-0016d3cca427', description: 'The owner: always the caller' })
  user_id!: string;

  @ApiProperty({ example: 'Write the quarterly report' })
  title!: string;

  @ApiProperty({ type: String, nullable: true, example: 'Numbers from finance first' })
  description!: string | null;

  @ApiProperty({ enum: TASK_STATUSES })
  status!: TaskStatus;

  @ApiProperty({ enum: TASK_PRIORITIES, nullable: true, example: 'high' })
  priority!: TaskPriority | null;

  @ApiProperty({ type: 'array', items: { type: 'string', minLength: 1, maxLength: 50 }, maxItems: MAX_TAGS, example: ['work', 'q3'] })
  tags!: string[];

  @ApiProperty({ type: String, format: 'date', nullable: true, example: '2027-01-31' })
  due_date!: string | null;

  @ApiProperty({ format: 'date-time', example: '2026-11-26T09:30:00.000Z' })
  created_at!: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-26T09:30:00.000Z' })
  updated_at!: string;

  @ApiProperty({
    type: 'integer',
    minimum: 1,
    example: 3,
    description:
      'Starts at 1 and grows by one with every write. The ETag header of a single task is this number in quotes ("3"): ' +
      'send it back in If-Match to update or delete only that version.',
  })
  version!: number;
}

/** A task row as the service selects it (snake_case, due_date as text). */
export interface TaskRow {
  id: string;
  user_id: string;
  title: string;
  description: string | null;
  status: TaskStatus;
  priority: TaskPriority | null;
  tags: string[];
  due_date: string | null;
  created_at: Date;
  updated_at: Date;
  /** bigint: the driver returns it as a string. */
  version: string | number;
}

export function toTaskResponse(row: TaskRow): TaskResponse {
  return {
    id: row.id,
    user_id: row.user_id,
    title: row.title,
    description: row.description,
    status: row.status,
    priority: row.priority,
    tags: row.tags,
    due_date: row.due_date,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    version: Number(row.version),
  };
}
