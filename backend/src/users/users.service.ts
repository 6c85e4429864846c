import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type EntityManager, QueryFailedError, Repository } from 'typeorm';
import { EmailTakenException, InvalidTokenException } from '../common/api-errors.js';
import { User } from './user.entity.js';

@Injectable()
export class UsersService {
  constructor(@InjectRepository(User) private readonly users: Repository<User>) {}

  /**
   * `email` must already be normalized (users/email.ts). Compared through
   * lower() so the unique index on lower(email) serves it; every stored
   * address is normalized, and normalized addresses are lower case.
   */
  findByEmail(email: string): Promise<User | null> {
    return this.users.createQueryBuilder('u').where('lower(u.email) = lower(:email)', { email }).getOne();
  }

  /**
   * The accounts a login with this normalized address may be for: the one
   * holding it, then any whose older spelling normalizes to it too but was
   * left unchanged because of that (email_normalization_conflicts), oldest
   * first. Usually one, or none.
   */
  async findLoginCandidates(email: string): Promise<User[]> {
    const rows: { id: string; email: string; hashed_password: string; time_zone: string; created_at: Date }[] = await this.users.query(
      `SELECT id, email, hashed_password, time_zone, created_at, 0 AS rank FROM users WHERE lower(email) = lower($1)
       UNION ALL
       SELECT u.id, u.email, u.hashed_password, u.time_zone, u.created_at, 1 AS rank
         FROM email_normalization_conflicts c JOIN users u ON u.id = c.user_id
        WHERE c.normalized_email = $1
       ORDER BY rank, created_at, id`,
      [email],
    );
    return rows.map((row) =>
      this.users.create({
        id: row.id,
        email: row.email,
        hashedPassword: row.hashed_password,
        timeZone: row.time_zone,
        createdAt: row.created_at,
      }),
    );
  }

  /**
   * Applies the given account settings in one transaction; null when the user
   * no longer exists. A new email (already normalized) also ends any recorded
   * normalization conflict of the account: it now holds an address of its own.
   */
  async update(id: string, changes: { timeZone?: string; email?: string }): Promise<User | null> {
    try {
      await this.users.manager.transaction(async (manager) => {
        if (changes.timeZone !== undefined) await manager.update(User, { id }, { timeZone: changes.timeZone });
        if (changes.email !== undefined) {
          await manager.update(User, { id }, { email: changes.email });
          await manager.query('DELETE FROM email_normalization_conflicts WHERE user_id = $1', [id]);
        }
      });
    } catch (error) {
      if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === '23505') {
        throw new EmailTakenException();
      }
      throw error;
    }
    return this.findById(id);
  }

  async setPassword(manager: EntityManager, id: string, hashedPassword: string): Promise<void> {
    await manager.update(User, { id }, { hashedPassword });
  }

  /** The user's time zone (UTC when the user is gone: their writes fail on their own). */
  async timeZoneOf(id: string, manager?: EntityManager): Promise<string> {
    const rows: { time_zone: string }[] = await (manager ?? this.users.manager).query('SELECT time_zone FROM users WHERE id = $1', [id]);
    return rows[0]?.time_zone ?? 'UTC';
  }

  findById(id: string): Promise<User | null> {
    return this.users.findOneBy({ id });
  }

  /** A valid token whose user has since been deleted is a 401, like any invalid token. */
  async assertExists(id: string): Promise<void> {
    if (!(await this.users.existsBy({ id }))) throw new InvalidTokenException();
  }

  async create(email: string, hashedPassword: string): Promise<User> {
    try {
      return await this.users.save(this.users.create({ email, hashedPassword }));
    } catch (error) {
      // The unique index on lower(email) settles races between two signups.
      if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === '23505') {
        throw new EmailTakenException();
      }
      throw error;
    }
  }
}
