import { HttpTestingController } from '@angular/common/http/testing';
import { AuthResponse, User } from '../app/core/api-models';
import { AuthService, SESSION_HINT_KEY } from '../app/core/auth.service';

export const TEST_USER: User = { id: 'u1', email: 'ada@example.com', time_zone: 'UTC', created_at: '2026-01-01T00:00:00.000Z' };

export function authResponse(overrides: Partial<AuthResponse> = {}): AuthResponse {
  return { access_token: 'tok-1', token_type: 'Bearer', expires_in: 900, user: TEST_USER, ...overrides };
}

/** Signs the service in as a log-in would (the session lives in memory only). */
export function signIn(auth: AuthService, overrides: Partial<AuthResponse> = {}): void {
  auth.signedIn(authResponse(overrides), false);
}

/**
 * Answers the session check AuthService makes when it starts (POST /auth/refresh with the
 * cookie): no session (401) unless a response is given.
 */
/** Marks this browser as having had a session, so AuthService looks for it at start-up. */
export function rememberSession(): void {
  localStorage.setItem(SESSION_HINT_KEY, '1');
}

export async function answerSessionCheck(http: HttpTestingController, response?: AuthResponse): Promise<void> {
  // It goes out a few microtasks later (after a guard has started, for instance).
  let found = http.match((r) => r.url.endsWith('/auth/refresh'));
  for (let i = 0; i < 100 && found.length === 0; i++) {
    await Promise.resolve();
    found = http.match((r) => r.url.endsWith('/auth/refresh'));
  }
  if (found.length !== 1) throw new Error(`expected one session check (POST /auth/refresh), found ${found.length}`);
  const request = found[0];
  if (response) request.flush(response);
  else request.flush({ error: { code: 401, message: 'No valid session: log in again' } }, { status: 401, statusText: 'Unauthorized' });
  await Promise.resolve();
}
