import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

export const TASK_EVENT_TYPES = ['task.created', 'task.updated', 'task.deleted'] as const;
export type TaskEventType = (typeof TASK_EVENT_TYPES)[number];

/**
 * The outbox of task changes. Rows are written only by the `tasks_record_event`
 * trigger (migration 1764190000000), in the transaction of the write itself.
 */
@Entity({ name: 'task_events' })
@Check('task_events_type_check', `type IN ('task.created', 'task.updated', 'task.deleted')`)
@Index('task_events_user_idx', ['userId', 'id'])
@Index('task_events_occurred_idx', { synchronize: false })
export class TaskEvent {
  @PrimaryGeneratedColumn('identity', {
    type: 'bigint',
    generatedIdentity: 'ALWAYS',
    primaryKeyConstraintName: 'task_events_pkey',
  })
  id!: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @Column({ name: 'task_id', type: 'uuid' })
  taskId!: string;

  @Column({ type: 'varchar', length: 20 })
  type!: TaskEventType;

  @Column({ type: 'bigint' })
  version!: string;

  /** The task row after the write (`to_jsonb`); null for a deletion. */
  @Column({ type: 'jsonb', nullable: true })
  task!: Record<string, unknown> | null;

  @CreateDateColumn({ name: 'occurred_at', type: 'timestamptz', precision: 3 })
  occurredAt!: Date;
}

/** One row: the highest event id the purge has removed. */
@Entity({ name: 'task_event_retention' })
@Check('task_event_retention_single_row_check', 'id = 1')
export class TaskEventRetention {
  @PrimaryColumn({ type: 'smallint', default: 1, primaryKeyConstraintName: 'task_event_retention_pkey' })
  id!: number;

  @Column({ name: 'purged_through', type: 'bigint', default: 0 })
  purgedThrough!: string;
}

/** Stream tickets already used: a ticket opens one stream only. */
@Entity({ name: 'event_tickets' })
@Index('event_tickets_expires_idx', ['expiresAt'])
export class EventTicket {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'event_tickets_pkey' })
  id!: string;

  @Column({ name: 'expires_at', type: 'timestamptz', precision: 3 })
  expiresAt!: Date;
}
