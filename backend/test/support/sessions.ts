import { randomUUID } from 'node:crypto';
import type { TestApp, TestUser } from './test-app';

/** The value of the refresh cookie a response sets (empty when it clears it), or undefined when it sets none. */
export function refreshCookieOf(res: { headers: Record<string, unknown> }): string | undefined {
  const header = res.headers['set-cookie'];
  const cookies = Array.isArray(header) ? header : typeof header === 'string' ? [header] : [];
  for (const cookie of cookies as string[]) {
    const match = /^eot_refresh=([^;]*)/.exec(cookie);
    if (match) return match[1];
  }
  return undefined;
}

export function setCookieHeader(res: { headers: Record<string, unknown> }): string {
  const header = res.headers['set-cookie'];
  return (Array.isArray(header) ? header : [header]).find((c) => typeof c === 'string' && c.startsWith('eot_refresh=')) as string;
}

export interface SessionUser extends TestUser {
  /** The refresh token the last sign-in or refresh set. */
  refreshToken: string;
}

export async function signUpWithSession(t: TestApp, password = 'correct horse 1'): Promise<SessionUser> {
  const email = `user.${randomUUID().slice(0, 12)}@example.com`;
  const res = await t.http.post('/auth/signup').set('User-Agent', 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0').send({ email, password }).expect(201);
  const token = res.body.access_token as string;
  return {
    id: res.body.user.id,
    email,
    password,
    token,
    auth: { Authorization: `Bearer ${token}` },
    inboxId: await inboxOf(t, res.body.user.id),
    refreshToken: refreshCookieOf(res) as string,
  };
}

export async function logInAgain(t: TestApp, user: { email: string; password: string }, userAgent = 'curl/8.11.0'): Promise<SessionUser & { sessionId: string }> {
  const res = await t.http.post('/auth/login').set('User-Agent', userAgent).send({ email: user.email, password: user.password }).expect(200);
  const token = res.body.access_token as string;
  return {
    id: res.body.user.id,
    email: user.email,
    password: user.password,
    token,
    auth: { Authorization: `Bearer ${token}` },
    inboxId: await inboxOf(t, res.body.user.id),
    refreshToken: refreshCookieOf(res) as string,
    sessionId: sidOf(token),
  };
}

async function inboxOf(t: TestApp, userId: string): Promise<string> {
  const { rows } = await t.db.query('SELECT id FROM projects WHERE user_id = $1 AND is_inbox', [userId]);
  return rows[0].id as string;
}

export function refresh(t: TestApp, refreshToken: string, origin?: string) {
  const request = t.http.post('/auth/refresh').set('Cookie', `eot_refresh=${refreshToken}`);
  return origin ? request.set('Origin', origin) : request;
}

export function sidOf(accessToken: string): string {
  return JSON.parse(Buffer.from(accessToken.split('.')[1], 'base64url').toString()).sid as string;
}
