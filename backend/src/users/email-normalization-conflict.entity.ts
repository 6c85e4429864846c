import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { User } from './user.entity.js';

/**
 * An account whose stored email normalizes to an address another account
 * already holds (migration 1764210000000). Its email was left as it was:
 * merging two accounts is for their owners to decide, not a migration. Login
 * with the normalized address still tries this account's password.
 */
@Entity({ name: 'email_normalization_conflicts' })
@Index('email_normalization_conflicts_normalized_idx', ['normalizedEmail'])
export class EmailNormalizationConflict {
  @PrimaryColumn({ name: 'user_id', type: 'uuid', primaryKeyConstraintName: 'email_normalization_conflicts_pkey' })
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'email_normalization_conflicts_user_id_fkey' })
  user?: User;

  /** The account's email when the conflict was found (still its `users.email`). */
  @Column({ type: 'varchar', length: 255 })
  email!: string;

  @Column({ name: 'normalized_email', type: 'varchar', length: 255 })
  normalizedEmail!: string;

  /**
   * The account that holds the normalized address. No foreign key: this is a
   * record of the decision, and deleting that account must not delete the
   * record (and with it this account's way to log in).
   */
  @Column({ name: 'kept_user_id', type: 'uuid' })
  keptUserId!: string;

  @Column({ name: 'detected_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  detectedAt!: Date;
}
