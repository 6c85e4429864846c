import { HttpClient, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { API_BASE_URL } from './api-base-url';
import { ApiError } from './api-error';
import { AuthService, SESSION_STORAGE_KEY } from './auth.service';
import { authInterceptor, errorInterceptor, loadingInterceptor } from './http-interceptors';
import { LoadingService } from './loading.service';

@Component({ template: '' })
class Blank {}

const API = location.origin;
const USER = { id: 'u1', email: 'ada@example.com', created_at: '2026-01-01T00:00:00.000Z' };

function signIn(expiresInMs = 3_600_000) {
  localStorage.setItem(
    SESSION_STORAGE_KEY,
    JSON.stringify({ token: 'tok', expiresAt: Date.now() + expiresInMs, user: USER }),
  );
}

let slowGuard: Promise<boolean> = Promise.resolve(true);

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
  beforeEach(() => localStorage.clear());

  it('adds the bearer token to API requests, relative or absolute', () => {
    signIn();
    const { http, backend } = setup();
    http.get('/api/tasks').subscribe();
    http.get(`${API}/auth/me`).subscribe();
    expect(backend.expectOne('/api/tasks').request.headers.get('Authorization')).toBe('Bearer tok');
    expect(backend.expectOne(`${API}/auth/me`).request.headers.get('Authorization')).toBe(
      'Bearer tok',
    );
  });

  it('never sends the token to another host', () => {
    signIn();
    const { http, backend } = setup();
    http.get('https://evil.example/api/tasks').subscribe();
    http.get('http://localhost:1/api/tasks').subscribe();
    expect(
      backend.expectOne('https://evil.example/api/tasks').request.headers.has('Authorization'),
    ).toBe(false);
    expect(
      backend.expectOne('http://localhost:1/api/tasks').request.headers.has('Authorization'),
    ).toBe(false);
  });

  it('drops an expired token before sending', () => {
    signIn(1_000); // inside the early-expiry margin
    const { http, backend, auth } = setup();
    http.get('/api/tasks').subscribe({ error: () => undefined });
    expect(backend.expectOne('/api/tasks').request.headers.has('Authorization')).toBe(false);
    expect(auth.isSignedIn()).toBe(false);
  });
});

describe('errorInterceptor', () => {
  beforeEach(() => localStorage.clear());

  it('turns an API error into an ApiError with the server message', async () => {
    signIn();
    const { http, backend } = setup();
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

  it('on a 401 forgets the token and sends the user to log in, then back', async () => {
    signIn();
    const { http, backend, router, auth } = setup();
    await router.navigateByUrl('/dashboard/tasks?status=todo');
    const result = firstValueFrom(http.get('/api/tasks'));
    backend
      .expectOne('/api/tasks')
      .flush({ error: { code: 401, message: 'Token expired' } }, { status: 401, statusText: '' });
    await expect(result).rejects.toBeInstanceOf(ApiError);
    await new Promise((r) => setTimeout(r));
    expect(auth.isSignedIn()).toBe(false);
    expect(localStorage.getItem(SESSION_STORAGE_KEY)).toBeNull();
    expect(router.url).toBe('/login?returnUrl=%2Fdashboard%2Ftasks%3Fstatus%3Dtodo');
  });

  it('on a 401 while a page is still being opened, comes back to that page', async () => {
    signIn();
    const { http, backend, router } = setup();
    let letThrough!: (pass: boolean) => void;
    slowGuard = new Promise((resolve) => (letThrough = resolve));
    const opening = router.navigateByUrl('/dashboard/slow?q=x');
    await new Promise((r) => setTimeout(r));
    expect(router.url).toBe('/');
    http.get('/api/events/ticket').subscribe({ error: () => undefined });
    backend
      .expectOne('/api/events/ticket')
      .flush({ error: { code: 401, message: 'Invalid token' } }, { status: 401, statusText: '' });
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
  it('counts requests in flight, failed ones included', () => {
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
