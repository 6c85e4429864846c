import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { provideHttpClient } from '@angular/common/http';
import { API_BASE_URL } from './api-base-url';
import { authGuard, guestGuard, homeGuard } from './auth.guards';
import { SESSION_STORAGE_KEY } from './auth.service';

@Component({ template: '' })
class Blank {}

function setup() {
  TestBed.configureTestingModule({
    providers: [
      provideHttpClient(),
      { provide: API_BASE_URL, useValue: location.origin },
      provideRouter([
        { path: '', pathMatch: 'full', component: Blank, canActivate: [homeGuard] },
        { path: 'today', component: Blank },
        { path: 'login', component: Blank, canActivate: [guestGuard] },
        { path: 'signup', component: Blank, canActivate: [guestGuard] },
        {
          path: 'dashboard',
          canActivate: [authGuard],
          canActivateChild: [authGuard],
          children: [
            { path: '', component: Blank },
            { path: 'tasks/:id', component: Blank },
          ],
        },
      ]),
    ],
  });
  return TestBed.inject(Router);
}

function signIn(expiresAt = Date.now() + 3_600_000) {
  localStorage.setItem(
    SESSION_STORAGE_KEY,
    JSON.stringify({ token: 't', expiresAt, user: { id: '1', email: 'a@b.co', created_at: '' } }),
  );
}

describe('authGuard', () => {
  beforeEach(() => localStorage.clear());

  it('sends a signed-out user to log in with the URL they asked for', async () => {
    const router = setup();
    await router.navigateByUrl('/dashboard/tasks/abc?x=1');
    expect(router.url).toBe('/login?returnUrl=%2Fdashboard%2Ftasks%2Fabc%3Fx%3D1');
  });

  it('treats an expired session as signed out', async () => {
    signIn(Date.now() - 1000);
    const router = setup();
    await router.navigateByUrl('/dashboard');
    expect(router.url).toBe('/login?returnUrl=%2Fdashboard');
  });

  it('lets a signed-in user through', async () => {
    signIn();
    const router = setup();
    await router.navigateByUrl('/dashboard/tasks/abc');
    expect(router.url).toBe('/dashboard/tasks/abc');
  });
});

describe('guestGuard', () => {
  beforeEach(() => localStorage.clear());

  it('sends a signed-in user from /login and /signup to Today', async () => {
    signIn();
    const router = setup();
    await router.navigateByUrl('/login');
    expect(router.url).toBe('/today');
    await router.navigateByUrl('/signup');
    expect(router.url).toBe('/today');
  });

  it('shows /login to a signed-out user', async () => {
    const router = setup();
    await router.navigateByUrl('/login');
    expect(router.url).toBe('/login');
  });
});

describe('homeGuard', () => {
  beforeEach(() => localStorage.clear());

  it('shows the home page to visitors and sends a signed-in user to Today', async () => {
    let router = setup();
    await router.navigateByUrl('/');
    expect(router.url).toBe('/');
    TestBed.resetTestingModule();
    signIn();
    router = setup();
    await router.navigateByUrl('/');
    expect(router.url).toBe('/today');
  });
});
