import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { byRole } from '../testing/dom';
import { FakeTaskEvents, provideFakeTaskEvents } from '../testing/fake-task-events';
import { answerSessionCheck, authResponse, rememberSession } from '../testing/session';
import { App } from './app';
import { API_BASE_URL } from './core/api-base-url';
import { AuthService } from './core/auth.service';

@Component({ template: '' })
class Blank {}

/** The shell, after its start-up session check found a session (or none). */
async function setup(session = false) {
  TestBed.configureTestingModule({
    providers: [
      provideHttpClient(),
      provideHttpClientTesting(),
      provideRouter([
        { path: 'login', component: Blank },
        { path: 'dashboard', component: Blank },
        { path: 'dashboard/tasks', component: Blank },
      ]),
      { provide: API_BASE_URL, useValue: location.origin },
      provideFakeTaskEvents(),
    ],
  });
  rememberSession();
  const fixture = TestBed.createComponent(App);
  const http = TestBed.inject(HttpTestingController);
  await answerSessionCheck(http, session ? authResponse() : undefined);
  await fixture.whenStable();
  return {
    fixture,
    http,
    el: fixture.nativeElement as HTMLElement,
    router: TestBed.inject(Router),
    events: TestBed.inject(FakeTaskEvents),
    auth: TestBed.inject(AuthService),
  };
}

describe('App shell', () => {
  beforeEach(() => localStorage.clear());

  it('offers Log in and Sign up when signed out', async () => {
    const { el } = await setup();
    const nav = el.querySelector('nav')!;
    expect(byRole(nav, 'a', 'Log in')).toBeTruthy();
    expect(byRole(nav, 'a', 'Sign up')).toBeTruthy();
    expect(nav.textContent).not.toContain('Log out');
  });

  it('restores the session at start, shows the email and Settings, and logs out to /login', async () => {
    const { el, fixture, router, http } = await setup(true);
    expect(el.querySelector('[data-testid=user-email]')?.textContent?.trim()).toBe('ada@example.com');
    expect(byRole(el, 'a', 'Settings')).toBeTruthy();
    localStorage.setItem('eot.something', 'x');
    byRole(el, 'button', 'Log out').click();
    http.expectOne(`${location.origin}/auth/logout`).flush(null);
    await fixture.whenStable();
    expect(router.url).toBe('/login');
    expect(localStorage.getItem('eot.something')).toBeNull();
    expect(el.querySelector('[data-testid=user-email]')).toBeNull();
  });

  it('says when live updates are paused, in a status region, only to someone signed in', async () => {
    const { el, fixture, events, http } = await setup(true);
    const region = el.querySelector('[role=status]')!;
    expect(region).toBeTruthy();
    expect(region.textContent?.trim()).toBe('');

    events.interrupted.set(true);
    await fixture.whenStable();
    expect(region.querySelector('[data-testid=live-status]')?.textContent).toContain('Live updates paused');

    events.interrupted.set(false);
    await fixture.whenStable();
    expect(region.textContent?.trim()).toBe('');

    events.interrupted.set(true);
    byRole(el, 'button', 'Log out').click();
    http.expectOne(`${location.origin}/auth/logout`).flush(null);
    await fixture.whenStable();
    expect(el.querySelector('[data-testid=live-status]')).toBeNull();
  });

  it('sends the user to log in when the session ends on a protected page', async () => {
    const { router, auth } = await setup(true);
    await router.navigateByUrl('/dashboard/tasks?q=x');
    auth.end();
    await vi.waitFor(() => expect(router.url).toBe('/login?returnUrl=%2Fdashboard%2Ftasks%3Fq%3Dx'));
  });
});
