import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '../users/user.entity.js';

export const TASK_EVENT_TYPES = ['task.created', 'task.updated', 'task.deleted'] as const;
export type TaskEventType = (typeof TASK_EVENT_TYPES)[number];

/**
 * The outbox of task changes. Rows are written only by the `tasks_record_event`
 * trigger (migrations 1764190000000 and 1764200000000), in the transaction of
 * the write itself. Clients see `seq`, the user's own sequence number, as the
 * event id; `id` only orders the purge.
 */
@Entity({ name: 'task_events' })
@Check('task_events_type_check', `type IN ('task.created', 'task.updated', 'task.deleted')`)
@Index('task_events_user_seq_key', ['userId', 'seq'], { unique: true })
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

  /** The user's own event number: 1, 2, 3… whatever other users write. */
  @Column({ type: 'bigint' })
  seq!: string;

  @Column({ name: 'task_id', type: 'uuid' })
  taskId!: string;

  @Column({ type: 'varchar', length: 20 })
  type!: TaskEventType;

  @Column({ type: 'bigint' })
  version!: string;

  /** The task row after the write (`to_jsonb`); null for a deletion. */
  @Column({ type: 'jsonb', nullable: true })
  task!: Record<string, unknown> | null;

  /** Bytes of `task` as JSON text, recorded by the trigger: what the event reads count. */
  @Column({ name: 'task_bytes', type: 'integer', default: 0 })
  taskBytes!: number;

  @CreateDateColumn({ name: 'occurred_at', type: 'timestamptz', precision: 3 })
  occurredAt!: Date;
}

/**
 * Per user: the last event number handed out, and the highest one purged.
 * The trigger advances `last_seq` under this row's lock, which it holds until
 * the write commits.
 */
@Entity({ name: 'event_sequences' })
export class EventSequence {
  @PrimaryColumn({ name: 'user_id', type: 'uuid', primaryKeyConstraintName: 'event_sequences_pkey' })
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'event_sequences_user_id_fkey' })
  user?: User;

  @Column({ name: 'last_seq', type: 'bigint' })
  lastSeq!: string;

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
