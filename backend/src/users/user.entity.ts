import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'users' })
export class User {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /**
   * Stored normalized (users/email.ts), except the accounts listed in
   * email_normalization_conflicts; a unique index on lower(email) backs it up.
   */
  @Column({ type: 'varchar', length: 255 })
  email!: string;

  @Column({ name: 'hashed_password', type: 'varchar', length: 60 })
  hashedPassword!: string;

  /** IANA name, canonical spelling (users/time-zone.ts): the user's "today" and local times. */
  @Column({ name: 'time_zone', type: 'varchar', length: 64, default: 'UTC' })
  timeZone!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt!: Date;
}
