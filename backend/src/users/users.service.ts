import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { QueryFailedError, Repository } from 'typeorm';
import { EmailTakenException, InvalidTokenException } from '../common/api-errors.js';
import { User } from './user.entity.js';

@Injectable()
export class UsersService {
  constructor(@InjectRepository(User) private readonly users: Repository<User>) {}

  /** `email` must already be normalized (trimmed, lower-cased). */
  findByEmail(email: string): Promise<User | null> {
    return this.users.findOneBy({ email });
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
