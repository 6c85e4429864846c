import { ApiProperty } from '@nestjs/swagger';
import { RECURRENCE_FROM, type RecurrenceFrom } from '../recurrence.js';
import { MAX_TAGS } from './create-task.dto.js';
import { TASK_PRIORITIES, TASK_STATUSES, type TaskPriority, type TaskStatus } from '../task.entity.js';

export class RecurrenceResponse {
  @ApiProperty({ example: 'FREQ=WEEKLY;BYDAY=MO,WE' })
  rrule!: string;

  @ApiProperty({ enum: RECURRENCE_FROM })
  from!: RecurrenceFrom;
}

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

  @ApiProperty({ type: String, nullable: true, example: '09:00', description: 'Local time of day HH:MM (your time zone)' })
  due_time!: string | null;

  @ApiProperty({ format: 'uuid', description: 'Always set: your Inbox unless the task was put elsewhere' })
  project_id!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The task this one is a subtask of' })
  parent_id!: string | null;

  @ApiProperty({ type: 'number', example: 2048, description: 'Manual order among siblings (same project and parent)' })
  position!: number;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Direct subtasks, not counting those in the trash' })
  subtask_count!: number;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Direct subtasks that are done' })
  subtask_done_count!: number;

  @ApiProperty({ type: RecurrenceResponse, nullable: true })
  recurrence!: RecurrenceResponse | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'Shared by every occurrence of a recurring task' })
  series_id!: string | null;

  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'The occurrence created when this one was completed',
  })
  next_occurrence_id!: string | null;

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

/** A task in the trash, with when it went there. */
export class TrashedTaskResponse extends TaskResponse {
  @ApiProperty({ format: 'date-time', example: '2026-11-26T09:30:00.000Z' })
  deleted_at!: string;
}

/**
 * A task row as the repository selects it (snake_case; due_date as text,
 * due_time as HH:MM or HH:MM:SS) or as the outbox stores it (to_jsonb).
 */
export interface TaskRow {
  id: string;
  user_id: string;
  project_id: string;
  parent_id: string | null;
  position: number | string;
  title: string;
  description: string | null;
  status: TaskStatus;
  priority: TaskPriority | null;
  tags: string[];
  due_date: string | null;
  due_time: string | null;
  recurrence: { rrule: string; from: RecurrenceFrom } | null;
  series_id: string | null;
  next_occurrence_id: string | null;
  subtask_count: number | string;
  subtask_done_count: number | string;
  created_at: Date;
  updated_at: Date;
  /** bigint: the driver returns it as a string. */
  version: string | number;
  deleted_at?: Date | null;
}

export function toTaskResponse(row: TaskRow): TaskResponse {
  return {
    id: row.id,
    user_id: row.user_id,
    project_id: row.project_id,
    parent_id: row.parent_id,
    position: Number(row.position),
    title: row.title,
    description: row.description,
    status: row.status,
    priority: row.priority,
    tags: row.tags,
    due_date: row.due_date,
    due_time: row.due_time === null ? null : row.due_time.slice(0, 5),
    // Only what the client gave: the series' bookkeeping stays inside.
    recurrence: row.recurrence === null ? null : { rrule: row.recurrence.rrule, from: row.recurrence.from },
    series_id: row.series_id,
    next_occurrence_id: row.next_occurrence_id,
    subtask_count: Number(row.subtask_count),
    subtask_done_count: Number(row.subtask_done_count),
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    version: Number(row.version),
  };
}

export function toTrashedTaskResponse(row: TaskRow & { deleted_at: Date }): TrashedTaskResponse {
  return { ...toTaskResponse(row), deleted_at: row.deleted_at.toISOString() };
}
