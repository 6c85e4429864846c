import { availableParallelism } from 'node:os';
import { Inject, Injectable } from '@nestjs/common';
import * as bcrypt from 'bcrypt';
import { ConcurrencyLimit } from '../common/concurrency-limit.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';

/**
 * bcrypt through libuv's thread pool (never the sync API), at most one hash
 * per core but one at a time. A hash costs ~300 ms of CPU at 12 rounds: with
 * the pool's four threads, a handful of clients logging in without pause
 * would take every core and starve all other requests. Logins queue here
 * instead, and the rest of the API keeps at least one core.
 */
@Injectable()
export class PasswordHasher {
  private readonly limit = new ConcurrencyLimit(Math.max(1, availableParallelism() - 1));

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  hash(password: string): Promise<string> {
    return this.limit.run(() => bcrypt.hash(password, this.config.bcryptRounds));
  }

  compare(password: string, hash: string): Promise<boolean> {
    return this.limit.run(() => bcrypt.compare(password, hash));
  }
}
