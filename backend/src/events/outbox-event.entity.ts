import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '../users/user.entity.js';

export const TASK_EVENT_TYPES = ['task.created', 'task.updated', 'task.deleted'] as const;
export const PROJECT_EVENT_TYPES = ['project.created', 'project.updated', 'project.deleted'] as const;
export const VIEW_EVENT_TYPES = ['view.created', 'view.updated', 'view.deleted'] as const;
export const EVENT_TYPES = [...TASK_EVENT_TYPES, ...PROJECT_EVENT_TYPES, ...VIEW_EVENT_TYPES] as const;
export type TaskEventType = (typeof TASK_EVENT_TYPES)[number];
export type ProjectEventType = (typeof PROJECT_EVENT_TYPES)[number];
export type ViewEventType = (typeof VIEW_EVENT_TYPES)[number];
export type EventType = (typeof EVENT_TYPES)[number];

/**
 * The outbox of every change a user's clients hear about: tasks, projects and
 * saved views. Rows are written only by triggers (`append_event`, migrations
 * 1764190000000, 1764200000000 and 1764230000000), in the transaction of the
 * write itself. Clients see `seq`, the user's own sequence number, as the
 * event id; `id` only orders the purge.
 */
@Entity({ name: 'events' })
@Check('events_type_check', `type IN (${EVENT_TYPES.map((t) => `'${t}'`).join(', ')})`)
@Index('events_user_seq_key', ['userId', 'seq'], { unique: true })
@Index('events_occurred_idx', { synchronize: false })
export class OutboxEvent {
  @PrimaryGeneratedColumn('identity', {
    type: 'bigint',
    generatedIdentity: 'ALWAYS',
    primaryKeyConstraintName: 'events_pkey',
  })
  id!: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  /** The user's own event number: 1, 2, 3… whatever other users write. */
  @Column({ type: 'bigint' })
  seq!: string;

  /** The task, project or view the event is about. */
  @Column({ name: 'entity_id', type: 'uuid' })
  entityId!: string;

  @Column({ type: 'varchar', length: 20 })
  type!: EventType;

  @Column({ type: 'bigint' })
  version!: string;

  /** The row after the write (`to_jsonb`, with its counts); null for a deletion. */
  @Column({ type: 'jsonb', nullable: true })
  payload!: Record<string, unknown> | null;

  /** Bytes of `payload` as JSON text, recorded by the trigger: what the event reads count. */
  @Column({ name: 'payload_bytes', type: 'integer', default: 0 })
  payloadBytes!: number;

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
