import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '../users/user.entity.js';

/**
 * One signed-in device: created by sign-up or log-in, kept alive by refreshes,
 * ended by log out, revocation, a password change or reuse of a rotated
 * refresh token (its row is deleted, and its refresh tokens with it).
 */
@Entity({ name: 'sessions' })
@Index('sessions_user_idx', ['userId', 'lastUsedAt'])
@Index('sessions_expires_idx', ['expiresAt'])
export class Session {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'sessions_pkey' })
  id!: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'sessions_user_id_fkey' })
  user?: User;

  /** "Chrome 131 on Windows", from the User-Agent at sign-in. */
  @Column({ name: 'device_label', type: 'varchar', length: 120 })
  deviceLabel!: string;

  /** The client address at the last use. */
  @Column({ type: 'varchar', length: 45, nullable: true })
  ip!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt!: Date;

  @Column({ name: 'last_used_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  lastUsedAt!: Date;

  /** REFRESH_TTL_DAYS after the last use. */
  @Column({ name: 'expires_at', type: 'timestamptz', precision: 3 })
  expiresAt!: Date;
}

/** Every refresh token a session was given, as a hash: the current one has no `rotated_at`. */
@Entity({ name: 'refresh_tokens' })
@Index('refresh_tokens_session_idx', ['sessionId'])
export class RefreshToken {
  /** SHA-256 (hex) of the token; the token itself is never stored. */
  @PrimaryColumn({ name: 'token_hash', type: 'char', length: 64, primaryKeyConstraintName: 'refresh_tokens_pkey' })
  tokenHash!: string;

  @Column({ name: 'session_id', type: 'uuid' })
  sessionId!: string;

  @ManyToOne(() => Session, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'session_id', foreignKeyConstraintName: 'refresh_tokens_session_id_fkey' })
  session?: Session;

  @Column({ name: 'issued_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  issuedAt!: Date;

  @Column({ name: 'rotated_at', type: 'timestamptz', precision: 3, nullable: true })
  rotatedAt!: Date | null;
}
