import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { firstValueFrom } from 'rxjs';
import { API_BASE_URL } from './api-base-url';
import { AuthService, SESSION_STORAGE_KEY } from './auth.service';

const USER = { id: 'u1', email: 'ada@example.com', created_at: '2026-01-01T00:00:00.000Z' };

function setup() {
  TestBed.configureTestingModule({
    providers: [
      provideHttpClient(),
      provideHttpClientTesting(),
      { provide: API_BASE_URL, useValue: 'http://api.test' },
    ],
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

  it('logs in, keeps the token with its expiry and exposes the user', async () => {
    const { auth, http } = setup();
    const result = firstValueFrom(auth.login({ email: 'ada@example.com', password: 'secret-pw' }));
    const req = http.expectOne('http://api.test/auth/login');
    expect(req.request.method).toBe('POST');
    expect(req.request.body).toEqual({ email: 'ada@example.com', password: 'secret-pw' });
    req.flush({ access_token: 'tok-1', token_type: 'Bearer', expires_in: 3600, user: USER });

    await expect(result).resolves.toEqual(USER);
    expect(auth.isSignedIn()).toBe(true);
    expect(auth.user()?.email).toBe('ada@example.com');
    expect(auth.validToken()).toBe('tok-1');
    const stored = JSON.parse(localStorage.getItem(SESSION_STORAGE_KEY)!);
    expect(stored.token).toBe('tok-1');
    expect(stored.expiresAt).toBe(Date.parse('2026-06-01T13:00:00Z'));
  });

  it('signs up through /auth/signup', async () => {
    const { auth, http } = setup();
    const result = firstValueFrom(auth.signup({ email: 'new@example.com', password: '12345678' }));
    http
      .expectOne({ method: 'POST', url: 'http://api.test/auth/signup' })
      .flush({ access_token: 'tok-2', token_type: 'Bearer', expires_in: 60, user: USER });
    await expect(result).resolves.toEqual(USER);
    expect(auth.validToken()).toBe('tok-2');
  });

  it('drops an expired token instead of handing it out', () => {
    localStorage.setItem(
      SESSION_STORAGE_KEY,
      JSON.stringify({ token: 'old', expiresAt: Date.now() + 60_000, user: USER }),
    );
    const { auth } = setup();
    expect(auth.validToken()).toBe('old');

    let expired = 0;
    auth.expired$.subscribe(() => expired++);
    vi.setSystemTime(Date.now() + 61_000);
    expect(auth.validToken()).toBeNull();
    expect(auth.isSignedIn()).toBe(false);
    expect(localStorage.getItem(SESSION_STORAGE_KEY)).toBeNull();
    expect(expired).toBe(1);
  });

  it('ends the session on its own when the expiry time comes', () => {
    localStorage.setItem(
      SESSION_STORAGE_KEY,
      JSON.stringify({ token: 't', expiresAt: Date.now() + 120_000, user: USER }),
    );
    const { auth } = setup();
    expect(auth.isSignedIn()).toBe(true);
    vi.advanceTimersByTime(120_000);
    expect(auth.isSignedIn()).toBe(false);
  });

  it('ignores a stored session that is already expired or malformed', () => {
    localStorage.setItem(
      SESSION_STORAGE_KEY,
      JSON.stringify({ token: 't', expiresAt: Date.now() - 1, user: USER }),
    );
    expect(setup().auth.isSignedIn()).toBe(false);
    TestBed.resetTestingModule();
    localStorage.setItem(SESSION_STORAGE_KEY, '{not json');
    expect(setup().auth.isSignedIn()).toBe(false);
  });

  it('log out clears everything the app stored, and nothing else', () => {
    localStorage.setItem(
      SESSION_STORAGE_KEY,
      JSON.stringify({ token: 't', expiresAt: Date.now() + 60_000, user: USER }),
    );
    localStorage.setItem('eot.other', 'x');
    localStorage.setItem('someone-else', 'keep');
    const { auth } = setup();
    auth.logout();
    expect(auth.isSignedIn()).toBe(false);
    expect(auth.user()).toBeNull();
    expect(localStorage.getItem(SESSION_STORAGE_KEY)).toBeNull();
    expect(localStorage.getItem('eot.other')).toBeNull();
    expect(localStorage.getItem('someone-else')).toBe('keep');
  });

  it('keeps no session when login fails', async () => {
    const { auth, http } = setup();
    const result = firstValueFrom(auth.login({ email: 'a@b.co', password: 'wrong-pass' }));
    http
      .expectOne('http://api.test/auth/login')
      .flush(
        { error: { code: 401, message: 'Invalid email or password' } },
        { status: 401, statusText: 'Unauthorized' },
      );
    await expect(result).rejects.toBeTruthy();
    expect(auth.isSignedIn()).toBe(false);
  });
});
