import { spawnApi, killApi, waitHealthy } from '../support/api-process';
import { refresh, refreshCookieOf, setCookieHeader, sidOf, signUpWithSession, logInAgain } from '../support/sessions';
import { openStream } from '../support/sse-client';
import { createTask, expectError, startTestApp, type TestApp } from '../support/test-app';

const ORIGIN = 'http://localhost:4200';
const GRACE_SECONDS = 2;

/**
 * Sessions that last (issue 14): refresh tokens rotate, a replayed one ends
 * the session, two tabs refreshing at once both stay signed in, log out and
 * revocation end sessions, and their event streams close on every instance.
 */
describe('sessions', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ REFRESH_GRACE_SECONDS: String(GRACE_SECONDS), CORS_ORIGINS: ORIGIN });
  });
  afterAll(async () => {
    await t.close();
  });

  it('sign-up and log-in set the refresh token as an HttpOnly, SameSite=Strict cookie scoped to /auth, valid 30 days', async () => {
    const res = await t.http.post('/auth/signup').send({ email: 'cookie@example.com', password: 'correct horse 1' }).expect(201);
    const cookie = setCookieHeader(res);
    expect(cookie).toMatch(/^eot_refresh=[\w-]{43}; Path=\/auth; Max-Age=2592000; HttpOnly; SameSite=Strict$/);
    // Not Secure only for plain http to localhost outside production; behind a proxy on another host it is.
    const remote = await t.http.post('/auth/login').set('Host', 'todo.example.com').send({ email: 'cookie@example.com', password: 'correct horse 1' }).expect(200);
    expect(setCookieHeader(remote)).toMatch(/; HttpOnly; SameSite=Strict; Secure$/);
    // Only its hash is stored.
    const token = refreshCookieOf(res) as string;
    const { rows } = await t.db.query('SELECT token_hash FROM refresh_tokens');
    expect(rows.map((r: { token_hash: string }) => r.token_hash)).not.toContain(token);
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  it('refreshes: a new 15-minute access token for the same session and a rotated refresh token', async () => {
    const user = await signUpWithSession(t);
    const res = await refresh(t, user.refreshToken).expect(200);
    expect(res.body).toMatchObject({ token_type: 'Bearer', expires_in: 900, user: { id: user.id, email: user.email } });
    expect(sidOf(res.body.access_token)).toBe(sidOf(user.token));
    const next = refreshCookieOf(res) as string;
    expect(next).toMatch(/^[\w-]{43}$/);
    expect(next).not.toBe(user.refreshToken);
    await t.http.get('/auth/me').set('Authorization', `Bearer ${res.body.access_token}`).expect(200);
    await refresh(t, next).expect(200);
  });

  it('detects reuse: a rotated token presented after the grace window ends the whole session', async () => {
    const user = await signUpWithSession(t);
    const rotated = refreshCookieOf(await refresh(t, user.refreshToken).expect(200)) as string;
    await new Promise((r) => setTimeout(r, (GRACE_SECONDS + 1) * 1000));
    const reuse = await refresh(t, user.refreshToken);
    expectError(reuse, 401, /used twice/);
    expect(refreshCookieOf(reuse)).toBe('');
    // The thief's copy and the owner's current token both stop working.
    expectError(await refresh(t, rotated), 401);
    const { rows } = await t.db.query('SELECT count(*)::int AS n FROM sessions WHERE user_id = $1', [user.id]);
    expect(rows[0].n).toBe(0);
  });

  it('lets two tabs refresh at the same moment: both get an access token, one rotation, the session lives on', async () => {
    for (let round = 0; round < 5; round++) {
      const user = await signUpWithSession(t);
      const [a, b] = await Promise.all([refresh(t, user.refreshToken), refresh(t, user.refreshToken)]);
      expect([a.status, b.status]).toEqual([200, 200]);
      const set = [refreshCookieOf(a), refreshCookieOf(b)].filter(Boolean);
      // The second saw the token rotated a moment ago: an access token, no new cookie.
      expect(set).toHaveLength(1);
      await refresh(t, set[0] as string).expect(200);
      // Within the grace window the old one still refreshes the same session (a third tab).
      const late = await refresh(t, user.refreshToken).expect(200);
      expect(sidOf(late.body.access_token)).toBe(sidOf(user.token));
    }
  });

  it('refuses refresh and logout from a foreign Origin (CSRF), and takes its own or none', async () => {
    const user = await signUpWithSession(t);
    expectError(await refresh(t, user.refreshToken, 'https://evil.example.com'), 403, 'Origin not allowed');
    expectError(await t.http.post('/auth/logout').set('Cookie', `eot_refresh=${user.refreshToken}`).set('Origin', 'null'), 403);
    const own = await refresh(t, user.refreshToken, ORIGIN).expect(200);
    await refresh(t, refreshCookieOf(own) as string).expect(200);
  });

  it('answers 401 without a cookie, with a malformed one, or an unknown one', async () => {
    expectError(await t.http.post('/auth/refresh'), 401);
    expectError(await t.http.post('/auth/refresh').set('Cookie', 'eot_refresh=short'), 401);
    expectError(await refresh(t, 'A'.repeat(43)), 401);
  });

  it('logs out: 204, the cookie cleared, the refresh token dead; works with the bearer token alone too', async () => {
    const user = await signUpWithSession(t);
    const res = await t.http.post('/auth/logout').set('Cookie', `eot_refresh=${user.refreshToken}`).expect(204);
    expect(setCookieHeader(res)).toMatch(/^eot_refresh=; Path=\/auth; Max-Age=0; HttpOnly; SameSite=Strict/);
    expectError(await refresh(t, user.refreshToken), 401);

    const other = await logInAgain(t, user);
    await t.http.post('/auth/logout').set(other.auth).expect(204);
    expectError(await refresh(t, other.refreshToken), 401);
    // Idempotent: nothing to end is still a 204.
    await t.http.post('/auth/logout').expect(204);
  });

  it('lists sessions with the current one marked, ends one, and ends all others', async () => {
    const first = await signUpWithSession(t);
    const second = await logInAgain(t, first, 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15');
    const third = await logInAgain(t, first);
    const list = (await t.http.get('/api/me/sessions').set(second.auth).expect(200)).body as { id: string; device: string; current: boolean }[];
    expect(list).toHaveLength(3);
    expect(list.filter((s) => s.current).map((s) => s.id)).toEqual([second.sessionId]);
    expect(list.find((s) => s.id === second.sessionId)?.device).toBe('Safari 18 on macOS');
    expect(Object.keys(list[0]).sort()).toEqual(['created_at', 'current', 'device', 'expires_at', 'id', 'ip', 'last_used_at']);

    await t.http.delete(`/api/me/sessions/${third.sessionId}`).set(second.auth).expect(204);
    expectError(await refresh(t, third.refreshToken), 401);
    // Gone, or someone else's: the same 403.
    expectError(await t.http.delete(`/api/me/sessions/${third.sessionId}`).set(second.auth), 403, 'Access denied: session not found or not owned by user');
    const stranger = await signUpWithSession(t);
    expectError(await t.http.delete(`/api/me/sessions/${sidOf(first.token)}`).set(stranger.auth), 403);
    await refresh(t, first.refreshToken).expect(200);
    expectError(await t.http.delete('/api/me/sessions/not-a-uuid').set(second.auth), 400);

    await t.http.delete('/api/me/sessions').set(second.auth).expect(204);
    const left = (await t.http.get('/api/me/sessions').set(second.auth).expect(200)).body as { id: string }[];
    expect(left.map((s) => s.id)).toEqual([second.sessionId]);
    await refresh(t, second.refreshToken).expect(200);
  });

  it('changes the password: 401 for a wrong one, other sessions end, the current one is rotated', async () => {
    const here = await signUpWithSession(t);
    const elsewhere = await logInAgain(t, here);
    expectError(await t.http.post('/api/me/password').set(here.auth).send({ current_password: 'wrong password', new_password: 'a brand new one' }), 401, 'Current password is incorrect');
    expectError(await t.http.post('/api/me/password').set(here.auth).send({ current_password: here.password, new_password: 'short' }), 400);

    const res = await t.http.post('/api/me/password').set(here.auth).send({ current_password: here.password, new_password: 'a brand new one' }).expect(204);
    const rotated = refreshCookieOf(res) as string;
    expect(rotated).toMatch(/^[\w-]{43}$/);
    expectError(await refresh(t, elsewhere.refreshToken), 401);
    await t.http.post('/auth/login').send({ email: here.email, password: here.password }).expect(401);
    await t.http.post('/auth/login').send({ email: here.email, password: 'a brand new one' }).expect(200);
    const next = await refresh(t, rotated).expect(200);
    // The token the session had before the change counts as reuse now: whoever holds it ends the session.
    expectError(await refresh(t, here.refreshToken), 401);
    expectError(await refresh(t, refreshCookieOf(next) as string), 401);
  });

  it('changes the email with the current password: 409 if taken, 401 if wrong, 400 without it', async () => {
    const user = await signUpWithSession(t);
    const other = await signUpWithSession(t);
    expectError(await t.http.patch('/auth/me').set(user.auth).send({ email: 'new.address@example.com' }), 400);
    expectError(await t.http.patch('/auth/me').set(user.auth).send({ email: 'new.address@example.com', current_password: 'not my password' }), 401);
    expectError(await t.http.patch('/auth/me').set(user.auth).send({ email: other.email.toUpperCase(), current_password: user.password }), 409, 'Email already registered');
    const res = await t.http.patch('/auth/me').set(user.auth).send({ email: ' New.Address@EXAMPLE.com ', current_password: user.password }).expect(200);
    expect(res.body.email).toBe('new.address@example.com');
    await t.http.post('/auth/login').send({ email: 'new.address@example.com', password: user.password }).expect(200);
    await t.http.post('/auth/login').send({ email: user.email, password: user.password }).expect(401);
    // The time zone alone still needs no password.
    await t.http.patch('/auth/me').set(user.auth).send({ time_zone: 'Europe/Berlin' }).expect(200);
  });

  it('closes a revoked session\'s event streams within seconds, on every instance', async () => {
    const second = await spawnApi({ DATABASE_URL: t.databaseUrl });
    try {
      await waitHealthy(second);
      const phone = await signUpWithSession(t);
      const laptop = await logInAgain(t, phone);
      const onOther = await openStream(second.baseUrl, '/api/events', phone.auth);
      const onThis = await openStream(t.baseUrl, '/api/events', phone.auth);
      const survivor = await openStream(second.baseUrl, '/api/events', laptop.auth);
      await onOther.until('ready');
      await onThis.until('ready');
      await survivor.until('ready');
      const started = Date.now();
      await t.http.delete(`/api/me/sessions/${sidOf(phone.token)}`).set(laptop.auth).expect(204);
      const [a, b] = await Promise.all([onOther.until('revoked', 5_000), onThis.until('revoked', 5_000)]);
      expect(JSON.parse(a.data).reason).toMatch(/has ended/);
      expect(JSON.parse(b.data).reason).toMatch(/has ended/);
      await Promise.all([onOther.ended, onThis.ended]);
      process.stdout.write(`streams of a revoked session closed on both instances after ${Date.now() - started} ms\n`);
      expect(Date.now() - started).toBeLessThan(5_000);
      // The access token itself is still valid (stateless), but no new stream or ticket is had with it.
      await t.http.get('/api/tasks').set(phone.auth).expect(200);
      expectError(await t.http.post('/api/events/ticket').set(phone.auth), 401);
      // The other session's stream carries on.
      await createTask(t, laptop);
      await survivor.until('task.created', 5_000);
      survivor.close();
    } finally {
      await killApi(second, 'SIGTERM');
    }
  });
});
