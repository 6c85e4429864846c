import { createHash, randomBytes } from 'node:crypto';

/** 256 random bits, base64url (43 characters), with an optional prefix. */
export function newSecretToken(prefix = ''): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

/**
 * How refresh and personal tokens are stored. A fast hash is enough: the
 * tokens are 256 random bits, so there is nothing to brute-force that a slow
 * hash would protect, and the lookup stays one index probe.
 */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
