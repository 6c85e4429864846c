import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { User } from '../users/user.entity.js';

/** A saved task list query, by name (migration 1764230000000). */
@Entity({ name: 'views' })
@Check('views_name_check', 'char_length(name) BETWEEN 1 AND 60')
@Check('views_query_check', `jsonb_typeof(query) = 'object'`)
@Index('views_user_name_key', ['userId', 'nameKey'], { unique: true })
@Index('views_user_position_idx', { synchronize: false })
export class View {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'views_pkey' })
  id!: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'views_user_id_fkey' })
  user?: User;

  @Column({ type: 'varchar', length: 60 })
  name!: string;

  /** The name as compared for uniqueness: NFC, case-folded. */
  @Column({ name: 'name_key', type: 'varchar', length: 240 })
  nameKey!: string;

  /** The list query as the client gave it, validated like the list's query string. */
  @Column({ type: 'jsonb' })
  query!: Record<string, unknown>;

  @Column({ type: 'double precision', default: 0 })
  position!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt!: Date;

  @Column({ type: 'bigint', default: 1 })
  version!: string;
}
