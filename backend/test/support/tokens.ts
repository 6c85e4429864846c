import { createHmac } from 'node:crypto';

const b64url = (value: object | string) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** Hand-built JWTs, so the tests can forge what a library would refuse to sign. */
export function forgeToken(
  payload: Record<string, unknown>,
  { secret, alg = 'HS256' }: { secret: string; alg?: 'HS256' | 'HS384' | 'HS512' | 'none' | 'RS256' },
): string {
  const header = b64url({ alg, typ: 'JWT' });
  const body = b64url(payload);
  if (alg === 'none') return `${header}.${body}.`;
  // RS256 with the HMAC secret as the "public key" is the classic key-confusion attack.
  const hash = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512', RS256: 'sha256' }[alg];
  const signature = createHmac(hash, secret).update(`${header}.${body}`).digest('base64url');
  return `${header}.${body}.${signature}`;
}

export const nowSeconds = () => Math.floor(Date.now() / 1000);
