import { HttpClient, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { API_BASE_URL } from './api-base-url';
import { ApiError } from './api-error';
import { HttpContext } from '@angular/common/http';
import { authResponse, signIn as signInService } from '../../testing/session';
import { AuthService, CREDENTIAL_CHECK } from './auth.service';
import { authInterceptor, errorInterceptor, loadingInterceptor } from './http-interceptors';
import { LoadingService } from './loading.service';

@Component({ template: '' })
class Blank {}

const API = location.origin;
let slowGuard: Promise<boolean> = Promise.resolve(true);

/** A signed-in app: the start-up session check answered with a session whose token is 'tok'. */
async function signedIn(expiresIn = 900) {
  const parts = setup();
  signInService(parts.auth, { access_token: 'tok', expires_in: expiresIn });
  return parts;
}

function setup() {
  TestBed.configureTestingModule({
    providers: [
      provideHttpClient(withInterceptors([loadingInterceptor, authInterceptor, errorInterceptor])),
      provideHttpClientTesting(),
      provideRouter([
        { path: 'login', component: Blank },
        { path: 'signup', component: Blank },
        { path: 'dashboard/tasks', component: Blank },
        // Held mid-navigation until a test lets it through.
        { path: 'dashboard/slow', component: Blank, canActivate: [() => slowGuard] },
      ]),
      { provide: API_BASE_URL, useValue: API },
    ],
  });
  return {
    http: TestBed.inject(HttpClient),
    backend: TestBed.inject(HttpTestingController),
    router: TestBed.inject(Router),
    auth: TestBed.inject(AuthService),
    loading: TestBed.inject(LoadingService),
  };
}

describe('authInterceptor', () => {
  it('adds the bearer token to API requests, relative or absolute', async () => {
    const { http, backend } = await signedIn();
    http.get('/api/tasks').subscribe();
    http.get(`${API}/auth/me`).subscribe();
    expect(backend.expectOne('/api/tasks').request.headers.get('Authorization')).toBe('Bearer tok');
    expect(backend.expectOne(`${API}/auth/me`).request.headers.get('Authorization')).toBe(
      'Bearer tok',
    );
  });

  it('never sends the token to another host', async () => {
    const { http, backend } = await signedIn();
    http.get('https://evil.example/api/tasks').subscribe();
    http.get('http://localhost:1/api/tasks').subscribe();
    expect(
      backend.expectOne('https://evil.example/api/tasks').request.headers.has('Authorization'),
    ).toBe(false);
    expect(
      backend.expectOne('http://localhost:1/api/tasks').request.headers.has('Authorization'),
    ).toBe(false);
  });

  it('refreshes a token about to expire before sending, and sends the new one', async () => {
    const { http, backend } = await signedIn(3); // inside the early-expiry margin
    http.get('/api/tasks').subscribe({ error: () => undefined });
    backend.expectNone('/api/tasks');
    backend.expectOne(`${API}/auth/refresh`).flush(authResponse({ access_token: 'fresh' }));
    expect(backend.expectOne('/api/tasks').request.headers.get('Authorization')).toBe('Bearer fresh');
  });

  it('sends nothing of the session with the session routes themselves', async () => {
    const { http, backend } = await signedIn();
    http.post(`${API}/auth/logout`, null).subscribe();
    expect(backend.expectOne(`${API}/auth/logout`).request.headers.has('Authorization')).toBe(false);
  });
});

describe('errorInterceptor', () => {
  it('turns an API error into an ApiError with the server message', async () => {
    const { http, backend } = await signedIn();
    const result = firstValueFrom(http.get('/api/tasks/x'));
    backend
      .expectOne('/api/tasks/x')
      .flush(
        { error: { code: 403, message: 'Access denied: task not found or not owned by user' } },
        { status: 403, statusText: 'Forbidden' },
      );
    const error = await result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(403);
    expect((error as ApiError).message).toBe('Access denied: task not found or not owned by user');
  });

  it('on a 401 refreshes the session and sends the request once more', async () => {
    const { http, backend, router } = await signedIn();
    await router.navigateByUrl('/dashboard/tasks');
    const result = firstValueFrom(http.get<unknown[]>('/api/tasks'));
    backend.expectOne('/api/tasks').flush({ error: { code: 401, message: 'Token expired' } }, { status: 401, statusText: '' });
    backend.expectOne(`${API}/auth/refresh`).flush(authResponse({ access_token: 'fresh' }));
    const retry = backend.expectOne('/api/tasks');
    expect(retry.request.headers.get('Authorization')).toBe('Bearer fresh');
    retry.flush([]);
    await expect(result).resolves.toEqual([]);
    expect(router.url).toBe('/dashboard/tasks');
  });

  it('when the refresh is refused too, ends the session and sends the user to log in, then back', async () => {
    const { http, backend, router, auth } = await signedIn();
    await router.navigateByUrl('/dashboard/tasks?status=todo');
    const result = firstValueFrom(http.get('/api/tasks'));
    backend.expectOne('/api/tasks').flush({ error: { code: 401, message: 'Token expired' } }, { status: 401, statusText: '' });
    backend.expectOne(`${API}/auth/refresh`).flush({ error: { code: 401, message: 'x' } }, { status: 401, statusText: '' });
    await expect(result).rejects.toBeInstanceOf(ApiError);
    await new Promise((r) => setTimeout(r));
    expect(auth.isSignedIn()).toBe(false);
    expect(router.url).toBe('/login?returnUrl=%2Fdashboard%2Ftasks%3Fstatus%3Dtodo');
  });

  it('takes a 401 on a password check for a wrong password: no refresh, the session stays', async () => {
    const { http, backend, auth } = await signedIn();
    const context = new HttpContext().set(CREDENTIAL_CHECK, true);
    const result = firstValueFrom(http.post('/api/me/password', {}, { context }));
    backend.expectOne('/api/me/password').flush({ error: { code: 401, message: 'Current password is incorrect' } }, { status: 401, statusText: '' });
    await expect(result).rejects.toMatchObject({ status: 401, message: 'Current password is incorrect' });
    backend.expectNone(`${API}/auth/refresh`);
    expect(auth.isSignedIn()).toBe(true);
  });

  it('on a 401 while a page is still being opened, comes back to that page', async () => {
    const { http, backend, router } = await signedIn();
    let letThrough!: (pass: boolean) => void;
    slowGuard = new Promise((resolve) => (letThrough = resolve));
    const opening = router.navigateByUrl('/dashboard/slow?q=x');
    await new Promise((r) => setTimeout(r));
    expect(router.url).toBe('/');
    http.get('/api/events/ticket').subscribe({ error: () => undefined });
    backend
      .expectOne('/api/events/ticket')
      .flush({ error: { code: 401, message: 'Invalid token' } }, { status: 401, statusText: '' });
    backend.expectOne(`${API}/auth/refresh`).flush({ error: { code: 401, message: 'x' } }, { status: 401, statusText: '' });
    letThrough(true);
    await opening;
    await new Promise((r) => setTimeout(r));
    expect(router.url).toBe('/login?returnUrl=%2Fdashboard%2Fslow%3Fq%3Dx');
  });

  it('leaves a failed login alone: the form shows the message', async () => {
    const { http, backend, router } = setup();
    await router.navigateByUrl('/login?returnUrl=%2Fdashboard');
    const result = firstValueFrom(http.post('/auth/login', {}));
    backend
      .expectOne('/auth/login')
      .flush(
        { error: { code: 401, message: 'Invalid email or password' } },
        { status: 401, statusText: '' },
      );
    const error = (await result.catch((e: unknown) => e)) as ApiError;
    expect(error.message).toBe('Invalid email or password');
    await new Promise((r) => setTimeout(r));
    expect(router.url).toBe('/login?returnUrl=%2Fdashboard');
  });
});

describe('loadingInterceptor', () => {
  it('counts requests in flight, failed ones included', async () => {
    const { http, backend, loading } = setup();
    expect(loading.active()).toBe(false);
    http.get('/health').subscribe();
    http.get('/api/tasks').subscribe({ error: () => undefined });
    expect(loading.active()).toBe(true);
    backend.expectOne('/health').flush({ status: 'ok' });
    expect(loading.active()).toBe(true);
    backend.expectOne('/api/tasks').flush(null, { status: 500, statusText: '' });
    expect(loading.active()).toBe(false);
  });
});
