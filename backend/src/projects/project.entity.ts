import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { User } from '../users/user.entity.js';

/**
 * A project: a named, coloured, orderable group of tasks, up to three levels
 * deep. The schema is written by migration 1764230000000; the indexes and
 * checks are declared here so `migration:generate` proposes only real changes.
 */
@Entity({ name: 'projects' })
@Check('projects_name_check', 'char_length(name) BETWEEN 1 AND 120')
@Check('projects_color_check', `color IS NULL OR color ~ '^#[0-9a-f]{6}$'`)
@Check('projects_inbox_check', 'NOT is_inbox OR parent_id IS NULL')
@Index('projects_user_inbox_key', { synchronize: false })
@Index('projects_user_parent_name_key', { synchronize: false })
@Index('projects_user_position_idx', { synchronize: false })
@Index('projects_parent_idx', { synchronize: false })
export class Project {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'projects_pkey' })
  id!: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'projects_user_id_fkey' })
  user?: User;

  @Column({ type: 'varchar', length: 120 })
  name!: string;

  /** The name as compared for uniqueness: NFC, case-folded (common/case-fold.ts). */
  @Column({ name: 'name_key', type: 'varchar', length: 480 })
  nameKey!: string;

  /** `#rrggbb`, lower case. */
  @Column({ type: 'char', length: 7, nullable: true })
  color!: string | null;

  @Column({ name: 'parent_id', type: 'uuid', nullable: true })
  parentId!: string | null;

  @ManyToOne(() => Project)
  @JoinColumn({ name: 'parent_id', foreignKeyConstraintName: 'projects_parent_id_fkey' })
  parent?: Project;

  @Column({ type: 'double precision', default: 0 })
  position!: number;

  @Column({ name: 'is_inbox', type: 'boolean', default: false })
  isInbox!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt!: Date;

  @Column({ type: 'bigint', default: 1 })
  version!: string;
}
