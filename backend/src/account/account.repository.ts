import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** The SQL of deleting an account: what foreign keys do not cascade. */
@Injectable()
export class AccountRepository {
  /**
   * Deletes the user; the foreign keys (ON DELETE CASCADE) take everything
   * the account owns with it: tasks, sessions and their refresh tokens,
   * personal tokens, webhooks and their deliveries, idempotency keys, event
   * sequence numbers, its own normalization-conflict record. Tables a later
   * release adds must cascade the same way (the account-deletion test checks
   * every table).
   *
   * Accounts whose address was kept apart from this one's by the email
   * normalization (email_normalization_conflicts.kept_user_id) lose the
   * account they were conflicting with: the oldest of them takes the address
   * over (it is free now, and it is the normal form of its own), and the
   * others now conflict with it.
   */
  async deleteUser(manager: EntityManager, userId: string): Promise<void> {
    const heirs: { user_id: string; normalized_email: string }[] = await manager.query(
      `SELECT c.user_id, c.normalized_email FROM email_normalization_conflicts c JOIN users u ON u.id = c.user_id
       WHERE c.kept_user_id = $1 ORDER BY u.created_at, u.id LIMIT 1`,
      [userId],
    );
    await manager.query('DELETE FROM users WHERE id = $1', [userId]);
    const heir = heirs[0];
    if (heir) {
      await manager.query('DELETE FROM email_normalization_conflicts WHERE user_id = $1', [heir.user_id]);
      await manager.query('UPDATE users SET email = $2 WHERE id = $1', [heir.user_id, heir.normalized_email]);
      await manager.query('UPDATE email_normalization_conflicts SET kept_user_id = $2 WHERE kept_user_id = $1', [userId, heir.user_id]);
    }
  }
}
