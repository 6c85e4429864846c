import { createHmac } from 'node:crypto';

/** The API the browser tests start signs its tokens with this (playwright.config.ts). */
export const E2E_JWT_SECRET = 'e2e-only-secret-that-is-long-enough-0123456789';

/** An HS256 access token for `userId` (and session `sid`) that expires in `seconds`: what the API would issue with a shorter JWT_EXPIRES_IN. */
export function shortLivedToken(userId: string, seconds: number, sid?: string): { token: string; expiresAt: number } {
  const now = Math.floor(Date.now() / 1000);
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ sub: userId, ...(sid && { sid }), iat: now, exp: now + seconds })}`;
  const signature = createHmac('sha256', E2E_JWT_SECRET).update(unsigned).digest('base64url');
  return { token: `${unsigned}.${signature}`, expiresAt: (now + seconds) * 1000 };
}
