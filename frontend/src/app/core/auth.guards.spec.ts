import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { answerSessionCheck, authResponse, rememberSession } from '../../testing/session';
import { API_BASE_URL } from './api-base-url';
import { authGuard, guestGuard, homeGuard } from './auth.guards';

@Component({ template: '' })
class Blank {}

function setup() {
  TestBed.configureTestingModule({
    providers: [
      provideHttpClient(),
      provideHttpClientTesting(),
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
  return { router: TestBed.inject(Router), http: TestBed.inject(HttpTestingController) };
}

/** Starts a navigation, answers the start-up session check (a session or none), and waits for it. */
async function navigate(url: string, session: boolean) {
  rememberSession();
  const { router, http } = setup();
  const navigation = router.navigateByUrl(url);
  await answerSessionCheck(http, session ? authResponse() : undefined);
  await navigation;
  return router;
}

describe('authGuard', () => {
  beforeEach(() => localStorage.clear());

  it('does not ask for a session in a browser that never had one', async () => {
    const { router, http } = setup();
    await router.navigateByUrl('/dashboard');
    http.expectNone(() => true);
    expect(router.url).toBe('/login?returnUrl=%2Fdashboard');
  });

  it('sends a signed-out user to log in with the URL they asked for', async () => {
    const router = await navigate('/dashboard/tasks/abc?x=1', false);
    expect(router.url).toBe('/login?returnUrl=%2Fdashboard%2Ftasks%2Fabc%3Fx%3D1');
  });

  it('waits for the session the browser still has, and lets its user through', async () => {
    const router = await navigate('/dashboard/tasks/abc', true);
    expect(router.url).toBe('/dashboard/tasks/abc');
  });
});

describe('guestGuard', () => {
  it('sends a signed-in user from /login and /signup to Today', async () => {
    const router = await navigate('/login', true);
    expect(router.url).toBe('/today');
    await router.navigateByUrl('/signup');
    expect(router.url).toBe('/today');
  });

  it('shows /login to a signed-out user', async () => {
    const router = await navigate('/login', false);
    expect(router.url).toBe('/login');
  });
});

describe('homeGuard', () => {
  beforeEach(() => localStorage.clear());

  it('shows the home page to a visitor', async () => {
    const router = await navigate('/', false);
    expect(router.url).toBe('/');
  });

  it('sends a signed-in user to Today', async () => {
    const router = await navigate('/', true);
    expect(router.url).toBe('/today');
  });
});
