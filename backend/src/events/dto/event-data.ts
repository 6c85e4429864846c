import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { TaskResponse, type TaskRow, toTaskResponse } from '../../tasks/dto/task.response.js';
import { TASK_EVENT_TYPES, type TaskEventType } from '../task-event.entity.js';

/** `event: ready`, the first event of every stream. */
export class ReadyEventData {
  @ApiProperty({
    example: '1234',
    description:
      'The cursor (also the id of this event): every change of your tasks after it is delivered on this stream. ' +
      'Load or reload what you show once this event has arrived, and nothing can be missed.',
  })
  last_event_id!: string;
}

/** `event: task.created`, `task.updated`, `task.deleted`. */
export class TaskEventData {
  @ApiProperty({
    example: '1235',
    description:
      "Event id (also the SSE id): your own sequence number as a decimal string, 1, 2, 3… with no gaps for other users' writes",
  })
  id!: string;

  @ApiProperty({ enum: TASK_EVENT_TYPES })
  type!: TaskEventType;

  @ApiProperty({ format: 'uuid' })
  task_id!: string;

  @ApiProperty({ type: 'integer', minimum: 1, example: 4, description: 'The task version after this change' })
  version!: number;

  @ApiPropertyOptional({ type: TaskResponse, description: 'The task after the change; absent on `task.deleted`' })
  task?: TaskResponse;

  @ApiProperty({ format: 'date-time', example: '2026-11-26T09:30:00.000Z' })
  occurred_at!: string;
}

/** `event: heartbeat`. */
export class HeartbeatEventData {
  @ApiProperty({ format: 'date-time', example: '2026-11-26T09:30:25.000Z' })
  at!: string;
}

/** `event: reset`. */
export class ResetEventData {
  @ApiProperty({
    example: 'Last-Event-ID is older than the retained history',
    description: 'Why the stream could not resume: reload everything you show, then carry on with this stream',
  })
  reason!: string;
}

/** `event: expired`, the last event of a stream whose token has expired. */
export class ExpiredEventData {
  @ApiProperty({
    example: 'The token that opened this stream has expired: open a new one with a fresh token or ticket, resuming after this id',
    description: 'The stream ends after this event: open a new one with a fresh token (or a ticket got with one) and Last-Event-ID',
  })
  reason!: string;
}

/** `event: revoked`, the last event of a stream whose session or personal token has ended. */
export class RevokedEventData {
  @ApiProperty({
    example: 'The session or token that opened this stream has ended (log out, revocation, password change or account deletion)',
    description: 'The stream ends after this event. Do not reconnect with the same credential: it is no longer valid',
  })
  reason!: string;
}

/** A `task_events` row as the event log selects it (`id` is the user's sequence number). */
export interface TaskEventRow {
  id: string;
  task_id: string;
  type: TaskEventType;
  /** bigint, as text */
  version: string;
  /** `to_jsonb(tasks row)`, null for a deletion */
  task: Record<string, unknown> | null;
  occurred_at: Date;
}

export function toTaskEventData(row: TaskEventRow): TaskEventData {
  return {
    id: row.id,
    type: row.type,
    task_id: row.task_id,
    version: Number(row.version),
    ...(row.task !== null && { task: taskFromJson(row.task) }),
    occurred_at: row.occurred_at.toISOString(),
  };
}

/**
 * The row the trigger stored with `to_jsonb(NEW)`: timestamps are ISO text in
 * the writer's time zone, `due_date` is already YYYY-MM-DD and `version` a
 * number. It goes through the same mapping as every other task response, so a
 * column added to `tasks` later never reaches a client by way of an event.
 */
function taskFromJson(json: Record<string, unknown>): TaskResponse {
  return toTaskResponse({
    ...(json as unknown as TaskRow),
    created_at: new Date(json.created_at as string),
    updated_at: new Date(json.updated_at as string),
  });
}
