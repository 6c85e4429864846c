import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ProjectResponse, type ProjectRow, toProjectResponse } from '../../projects/dto/project.response.js';
import { TaskResponse, type TaskRow, toTaskResponse } from '../../tasks/dto/task.response.js';
import { toViewResponse, ViewResponse, type ViewRow } from '../../views/dto/view.response.js';
import {
  type EventType,
  PROJECT_EVENT_TYPES,
  type ProjectEventType,
  TASK_EVENT_TYPES,
  type TaskEventType,
  VIEW_EVENT_TYPES,
  type ViewEventType,
} from '../outbox-event.entity.js';

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

/** `event: project.created`, `project.updated`, `project.deleted`: the same shape as the task events. */
export class ProjectEventData {
  @ApiProperty({ example: '1236', description: 'Event id (also the SSE id): your own sequence number' })
  id!: string;

  @ApiProperty({ enum: PROJECT_EVENT_TYPES })
  type!: ProjectEventType;

  @ApiProperty({ format: 'uuid' })
  project_id!: string;

  @ApiProperty({ type: 'integer', minimum: 1, example: 2, description: 'The project version after this change' })
  version!: number;

  @ApiPropertyOptional({ type: ProjectResponse, description: 'The project after the change; absent on `project.deleted`' })
  project?: ProjectResponse;

  @ApiProperty({ format: 'date-time', example: '2026-11-26T09:30:00.000Z' })
  occurred_at!: string;
}

/** `event: view.created`, `view.updated`, `view.deleted`. */
export class ViewEventData {
  @ApiProperty({ example: '1237', description: 'Event id (also the SSE id): your own sequence number' })
  id!: string;

  @ApiProperty({ enum: VIEW_EVENT_TYPES })
  type!: ViewEventType;

  @ApiProperty({ format: 'uuid' })
  view_id!: string;

  @ApiProperty({ type: 'integer', minimum: 1, example: 2, description: 'The view version after this change' })
  version!: number;

  @ApiPropertyOptional({ type: ViewResponse, description: 'The view after the change; absent on `view.deleted`' })
  view?: ViewResponse;

  @ApiProperty({ format: 'date-time', example: '2026-11-26T09:30:00.000Z' })
  occurred_at!: string;
}

export type ChangeEventData = TaskEventData | ProjectEventData | ViewEventData;

/** An `events` row as the event log selects it (`id` is the user's sequence number). */
export interface EventRow {
  id: string;
  entity_id: string;
  type: EventType;
  /** bigint, as text */
  version: string;
  /** `to_jsonb` of the row after the change (with its counts), null for a deletion */
  payload: Record<string, unknown> | null;
  occurred_at: Date;
}

/**
 * The data of a change event. The payload the trigger stored goes through the
 * same mapping as every other response of its kind, so a column added to a
 * table later never reaches a client by way of an event. Timestamps in it are
 * ISO text in the writer's time zone; they become Dates first.
 */
export function toChangeEventData(row: EventRow): ChangeEventData {
  const body = row.payload && withDates(row.payload);
  const version = Number(row.version);
  const occurred_at = row.occurred_at.toISOString();
  if (row.type.startsWith('task.')) {
    const task = body && toTaskResponse(body as unknown as TaskRow);
    return { id: row.id, type: row.type as TaskEventType, task_id: row.entity_id, version, ...(task && { task }), occurred_at };
  }
  if (row.type.startsWith('project.')) {
    const project = body && toProjectResponse(body as unknown as ProjectRow);
    return { id: row.id, type: row.type as ProjectEventType, project_id: row.entity_id, version, ...(project && { project }), occurred_at };
  }
  const view = body && toViewResponse(body as unknown as ViewRow);
  return { id: row.id, type: row.type as ViewEventType, view_id: row.entity_id, version, ...(view && { view }), occurred_at };
}

function withDates(json: Record<string, unknown>): Record<string, unknown> {
  return { ...json, created_at: new Date(json.created_at as string), updated_at: new Date(json.updated_at as string) };
}
