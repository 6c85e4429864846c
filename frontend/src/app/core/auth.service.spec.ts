import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { firstValueFrom } from 'rxjs';
import { TEST_USER, answerSessionCheck, authResponse, rememberSession, signIn } from '../../testing/session';
import { API_BASE_URL } from './api-base-url';
import { AuthService, LOGOUT_PENDING_KEY } from './auth.service';

function setup() {
  TestBed.configureTestingModule({
    providers: [provideHttpClient(), provideHttpClientTesting(), { provide: API_BASE_URL, useValue: 'http://api.test' }],
  });
  return { auth: TestBed.inject(AuthService), http: TestBed.inject(HttpTestingController) };
}

describe('AuthService', () => {
  beforeEach(() => {
    localStorage.clear();
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'] });
    vi.setSystemTime(new Date('2026-06-01T12:00:00Z'));
  });
  afterEach(() => vi.useRealTimers());

  it('looks for the session the browser still has (the refresh cookie) when it starts', async () => {
    rememberSession();
    const { auth, http } = setup();
    let ready = false;
    void auth.ready.then(() => (ready = true));
    await answerSessionCheck(http, authResponse({ access_token: 'restored' }));
    await auth.ready;
    expect(ready).toBe(true);
    expect(auth.user()).toEqual(TEST_USER);
    expect(auth.validToken()).toBe('restored');
  });

  it('starts signed out when there is no session to restore', async () => {
    rememberSession();
    const { auth, http } = setup();
    void auth.ready;
    await answerSessionCheck(http);
    await auth.ready;
    expect(auth.isSignedIn()).toBe(false);
  });

  it('logs in and keeps the token in memory only, never in storage', async () => {
    const { auth, http } = setup();
    const result = firstValueFrom(auth.login({ email: 'ada@example.com', password: 'secret-pw' }));
    const req = http.expectOne('http://api.test/auth/login');
    expect(req.request.body).toEqual({ email: 'ada@example.com', password: 'secret-pw' });
    req.flush(authResponse({ access_token: 'tok-1' }));
    await expect(result).resolves.toEqual(TEST_USER);
    expect(auth.validToken()).toBe('tok-1');
    // Only that there is a session is remembered, for the next start: no token, no user.
    expect(Object.entries({ ...localStorage })).toEqual([['eot.has-session', '1']]);
    expect(JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage })).not.toContain('tok-1');
    expect(JSON.stringify({ ...localStorage })).not.toContain(TEST_USER.email);
  });

  it('refreshes a minute before the access token expires', async () => {
    const { auth, http } = setup();
    signIn(auth, { access_token: 'first', expires_in: 900 });
    vi.advanceTimersByTime(839_000);
    http.expectNone('http://api.test/auth/refresh');
    vi.advanceTimersByTime(1_000);
    http.expectOne('http://api.test/auth/refresh').flush(authResponse({ access_token: 'second' }));
    expect(auth.validToken()).toBe('second');
  });

  it('never hands out a token about to expire; accessToken() refreshes it first, once for all callers', async () => {
    const { auth, http } = setup();
    signIn(auth, { access_token: 'old', expires_in: 3 });
    expect(auth.validToken()).toBeNull();
    const a = firstValueFrom(auth.accessToken());
    const b = firstValueFrom(auth.accessToken());
    http.expectOne('http://api.test/auth/refresh').flush(authResponse({ access_token: 'new' }));
    await expect(a).resolves.toBe('new');
    await expect(b).resolves.toBe('new');
  });

  it('ends the session when the refresh is refused, and says so', async () => {
    const { auth, http } = setup();
    signIn(auth);
    let expired = 0;
    auth.expired$.subscribe(() => expired++);
    const token = firstValueFrom(auth.refresh());
    http.expectOne('http://api.test/auth/refresh').flush({ error: { code: 401, message: 'x' } }, { status: 401, statusText: 'Unauthorized' });
    await expect(token).resolves.toBeNull();
    expect(auth.isSignedIn()).toBe(false);
    expect(expired).toBe(1);
  });

  it('keeps the session through a refresh that fails on the network', async () => {
    const { auth, http } = setup();
    signIn(auth, { access_token: 'still-good' });
    const token = firstValueFrom(auth.refresh());
    http.expectOne('http://api.test/auth/refresh').error(new ProgressEvent('error'), { status: 0 });
    await expect(token).resolves.toBe('still-good');
    expect(auth.isSignedIn()).toBe(true);
  });

  it('log out ends the session on the server and clears what the app stored, and nothing else', async () => {
    const { auth, http } = setup();
    signIn(auth);
    localStorage.setItem('eot.other', 'x');
    localStorage.setItem('someone-else', 'keep');
    const done = firstValueFrom(auth.logout());
    expect(auth.isSignedIn()).toBe(false);
    http.expectOne({ method: 'POST', url: 'http://api.test/auth/logout' }).flush(null, { status: 204, statusText: 'No Content' });
    await done;
    expect(localStorage.getItem('eot.other')).toBeNull();
    expect(localStorage.getItem('someone-else')).toBe('keep');
  });

  it('a log out that cannot reach the server is sent again at the next start, and nothing is restored', async () => {
    const first = setup();
    signIn(first.auth);
    const done = firstValueFrom(first.auth.logout());
    first.http.expectOne('http://api.test/auth/logout').error(new ProgressEvent('error'), { status: 0 });
    await done;
    expect(first.auth.isSignedIn()).toBe(false);
    expect(localStorage.getItem(LOGOUT_PENDING_KEY)).toBe('1');

    // The next start (a reload): the refresh cookie's session is ended before anything else.
    TestBed.resetTestingModule();
    const { auth, http } = setup();
    const ready = auth.ready;
    await vi.waitFor(() => http.expectOne({ method: 'POST', url: 'http://api.test/auth/logout' }).flush(null, { status: 204, statusText: 'No Content' }));
    await ready;
    http.expectNone('http://api.test/auth/refresh');
    expect(auth.isSignedIn()).toBe(false);
    expect(localStorage.getItem(LOGOUT_PENDING_KEY)).toBeNull();
  });

  it('a log out still pending is sent before the next log in, so the old session cannot outlive it', async () => {
    localStorage.setItem(LOGOUT_PENDING_KEY, '1');
    const { auth, http } = setup();
    const result = firstValueFrom(auth.login({ email: 'ada@example.com', password: 'secret-pw' }));
    await vi.waitFor(() => http.expectOne({ method: 'POST', url: 'http://api.test/auth/logout' }).flush(null, { status: 204, statusText: 'No Content' }));
    await vi.waitFor(() => http.expectOne('http://api.test/auth/login').flush(authResponse()));
    await result;
    expect(auth.isSignedIn()).toBe(true);
    expect(localStorage.getItem(LOGOUT_PENDING_KEY)).toBeNull();
  });

  it('keeps no session when login fails', async () => {
    const { auth, http } = setup();
    const result = firstValueFrom(auth.login({ email: 'a@b.co', password: 'wrong-pass' }));
    http
      .expectOne('http://api.test/auth/login')
      .flush({ error: { code: 401, message: 'Invalid email or password' } }, { status: 401, statusText: 'Unauthorized' });
    await expect(result).rejects.toBeTruthy();
    expect(auth.isSignedIn()).toBe(false);
  });
});
