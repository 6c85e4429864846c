import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { Project } from '../projects/project.entity.js';
import { User } from '../users/user.entity.js';

export const TASK_STATUSES = ['todo', 'in-progress', 'done'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export const TASK_PRIORITIES = ['low', 'medium', 'high'] as const;
export type TaskPriority = (typeof TASK_PRIORITIES)[number];

/**
 * The schema is written by the migrations (database/migrations). The indexes
 * and checks below are declared so that `migration:generate` knows them and
 * proposes only real changes; `synchronize: false` leaves the expression,
 * trigram and descending indexes exactly as the migrations made them.
 */
@Entity({ name: 'tasks' })
@Check('tasks_status_check', `status IN ('todo', 'in-progress', 'done')`)
@Check('tasks_priority_check', `priority IS NULL OR priority IN ('low', 'medium', 'high')`)
@Check('tasks_title_check', 'char_length(title) BETWEEN 1 AND 255')
@Check('tasks_description_check', 'char_length(description) <= 10000')
@Check('tasks_tags_check', 'cardinality(tags) <= 20')
@Check('tasks_due_time_check', 'due_time IS NULL OR due_date IS NOT NULL')
@Check('tasks_recurrence_check', `recurrence IS NULL OR (due_date IS NOT NULL AND jsonb_typeof(recurrence) = 'object')`)
@Check('tasks_parent_check', 'parent_id IS NULL OR parent_id <> id')
@Index('tasks_user_created_idx', { synchronize: false })
@Index('tasks_user_updated_idx', { synchronize: false })
@Index('tasks_user_due_idx', { synchronize: false })
@Index('tasks_user_due_desc_idx', { synchronize: false })
@Index('tasks_user_status_created_idx', { synchronize: false })
@Index('tasks_user_priority_asc_idx', { synchronize: false })
@Index('tasks_user_priority_desc_idx', { synchronize: false })
@Index('tasks_user_title_idx', { synchronize: false })
@Index('tasks_tags_gin_idx', { synchronize: false })
@Index('tasks_user_title_trgm_idx', { synchronize: false })
@Index('tasks_user_description_trgm_idx', { synchronize: false })
@Index('tasks_project_created_idx', { synchronize: false })
@Index('tasks_project_position_idx', { synchronize: false })
@Index('tasks_parent_idx', { synchronize: false })
@Index('tasks_project_open_idx', { synchronize: false })
@Index('tasks_user_trash_idx', { synchronize: false })
@Index('tasks_series_idx', { synchronize: false })
@Index('tasks_next_occurrence_idx', { synchronize: false })
export class Task {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'tasks_user_id_fkey' })
  user?: User;

  @Column({ type: 'varchar', length: 255 })
  title!: string;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  @Column({ type: 'varchar', length: 20, default: 'todo' })
  status!: TaskStatus;

  @Column({ type: 'varchar', length: 10, nullable: true })
  priority!: TaskPriority | null;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  tags!: string[];

  /** A calendar date, kept as the 'YYYY-MM-DD' string PostgreSQL returns. */
  @Column({ name: 'due_date', type: 'date', nullable: true })
  dueDate!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt!: Date;

  /** Set by a trigger on every change, so no client or code path can forget it. */
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt!: Date;

  /** 1 on create, advanced by the same trigger on every write: the task's ETag. */
  @Column({ type: 'bigint', default: 1 })
  version!: string;

  /** Set by a trigger to the owner's Inbox when a write names no project. */
  @Column({ name: 'project_id', type: 'uuid' })
  projectId!: string;

  @ManyToOne(() => Project)
  @JoinColumn({ name: 'project_id', foreignKeyConstraintName: 'tasks_project_id_fkey' })
  project?: Project;

  @Column({ name: 'parent_id', type: 'uuid', nullable: true })
  parentId!: string | null;

  /** Deleting a task for good deletes its subtasks. */
  @ManyToOne(() => Task, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'parent_id', foreignKeyConstraintName: 'tasks_parent_id_fkey' })
  parent?: Task;

  /** Manual order among siblings (same project and parent). */
  @Column({ type: 'double precision', default: 0 })
  position!: number;

  /** A local time of day ('HH:MM:SS'), in the owner's time zone; needs a due date. */
  @Column({ name: 'due_time', type: 'time', precision: 0, nullable: true })
  dueTime!: string | null;

  /** `{rrule, from, start, n}`: the rule as given, the series' first due date and this occurrence's number. */
  @Column({ type: 'jsonb', nullable: true })
  recurrence!: Record<string, unknown> | null;

  @Column({ name: 'series_id', type: 'uuid', nullable: true })
  seriesId!: string | null;

  @Column({ name: 'next_occurrence_id', type: 'uuid', nullable: true })
  nextOccurrenceId!: string | null;

  @ManyToOne(() => Task, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'next_occurrence_id', foreignKeyConstraintName: 'tasks_next_occurrence_id_fkey' })
  nextOccurrence?: Task;

  /** In the trash since; null while the task is live. */
  @Column({ name: 'deleted_at', type: 'timestamptz', precision: 3, nullable: true })
  deletedAt!: Date | null;

  /** The task whose deletion put this one in the trash (itself, for the one deleted): restored together. */
  @Column({ name: 'deleted_with', type: 'uuid', nullable: true })
  deletedWith!: string | null;
}
