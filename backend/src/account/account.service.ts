import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuthService } from '../auth/auth.service.js';
import type { ChangePasswordDto, DeleteAccountDto } from '../auth/dto/change-password.dto.js';
import type { AuthUser } from '../common/current-user.decorator.js';
import { EventLog } from '../events/event-log.js';
import { type ClientInfo, SessionsService } from '../sessions/sessions.service.js';
import { UsersService } from '../users/users.service.js';
import { WebhooksRepository } from '../webhooks/webhooks.repository.js';
import { AccountRepository } from './account.repository.js';

@Injectable()
export class AccountService {
  private readonly logger = new Logger('Account');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly auth: AuthService,
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly events: EventLog,
    private readonly webhooks: WebhooksRepository,
    private readonly account: AccountRepository,
  ) {}

  /**
   * A new password. Every other session ends; the current one is given a new
   * refresh token (returned for the cookie), and its old tokens count as reuse
   * from now on.
   */
  async changePassword(user: AuthUser, dto: ChangePasswordDto, client: ClientInfo): Promise<string | undefined> {
    await this.auth.verifyPassword(user.id, dto.current_password);
    const hashed = await this.auth.hashPassword(dto.new_password);
    const sessionId = user.credential.kind === 'session' ? user.credential.sessionId : undefined;
    return this.db.transaction(async (manager) => {
      await this.users.setPassword(manager, user.id, hashed);
      return this.sessions.afterPasswordChange(manager, user.id, sessionId, client);
    });
  }

  /** The account and everything it owns, in one transaction. */
  async deleteAccount(user: AuthUser, dto: DeleteAccountDto): Promise<void> {
    await this.auth.verifyPassword(user.id, dto.password);
    await this.db.transaction(async (manager) => {
      await this.webhooks.forgetJobsOfUser(manager, user.id);
      await this.account.deleteUser(manager, user.id);
      await this.events.deleteForUser(manager, user.id);
    });
    this.logger.log(`Account ${user.id} deleted with everything it owned`);
  }
}
