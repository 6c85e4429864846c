import type { AuthUser } from '../common/current-user.decorator.js';

/** Enough for every session active on one instance within a token's 15 minutes; ~3 MB at most. */
export const VERIFIED_TOKENS_MAX = 10_000;

/**
 * Access tokens this instance has already verified, with what they proved.
 * A client sends the same token with every request for its 15 minutes, and
 * passport's verify (two base64 and JSON decodes, an HMAC, its own middleware
 * built per call) was a tenth of the CPU of a task read. The key is the whole
 * token, so a hit is exactly the answer verifying that string again would
 * give — except expiry, which is checked on every hit. Nothing is cached for a
 * token that failed. The oldest entry makes room for a new one.
 */
export class VerifiedTokens {
  private readonly byToken = new Map<string, AuthUser>();

  constructor(private readonly max = VERIFIED_TOKENS_MAX) {}

  get(token: string, now = Date.now()): AuthUser | undefined {
    const user = this.byToken.get(token);
    if (user === undefined) return undefined;
    // As jsonwebtoken decides: expired from the second `exp` names.
    if (now >= user.expiresAt) {
      this.byToken.delete(token);
      return undefined;
    }
    return user;
  }

  set(token: string, user: AuthUser): void {
    if (this.byToken.size >= this.max && !this.byToken.has(token)) {
      this.byToken.delete(this.byToken.keys().next().value as string);
    }
    this.byToken.set(token, user);
  }

  get size(): number {
    return this.byToken.size;
  }
}
