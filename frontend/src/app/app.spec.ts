import { provideHttpClient } from '@angular/common/http';
import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { byRole } from '../testing/dom';
import { FakeTaskEvents, provideFakeTaskEvents } from '../testing/fake-task-events';
import { App } from './app';
import { API_BASE_URL } from './core/api-base-url';
import { SESSION_STORAGE_KEY } from './core/auth.service';

@Component({ template: '' })
class Blank {}

function signIn(expiresInMs = 3_600_000) {
  localStorage.setItem(
    SESSION_STORAGE_KEY,
    JSON.stringify({
      token: 't',
      expiresAt: Date.now() + expiresInMs,
      user: { id: '1', email: 'ada@example.com', created_at: '' },
    }),
  );
}

async function setup() {
  TestBed.configureTestingModule({
    providers: [
      provideHttpClient(),
      provideRouter([
        { path: 'login', component: Blank },
        { path: 'dashboard', component: Blank },
        { path: 'dashboard/tasks', component: Blank },
      ]),
      { provide: API_BASE_URL, useValue: location.origin },
      provideFakeTaskEvents(),
    ],
  });
  const fixture = TestBed.createComponent(App);
  await fixture.whenStable();
  return {
    fixture,
    el: fixture.nativeElement as HTMLElement,
    router: TestBed.inject(Router),
    events: TestBed.inject(FakeTaskEvents),
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

  it('shows the email and logs out to /login, clearing storage', async () => {
    signIn();
    const { el, fixture, router } = await setup();
    expect(el.querySelector('[data-testid=user-email]')?.textContent?.trim()).toBe(
      'ada@example.com',
    );
    byRole(el, 'button', 'Log out').click();
    await fixture.whenStable();
    expect(router.url).toBe('/login');
    expect(localStorage.getItem(SESSION_STORAGE_KEY)).toBeNull();
    expect(el.querySelector('[data-testid=user-email]')).toBeNull();
  });

  it('says when live updates are paused, in a status region, only to someone signed in', async () => {
    signIn();
    const { el, fixture, events } = await setup();
    const region = el.querySelector('[role=status]')!;
    expect(region).toBeTruthy();
    expect(region.textContent?.trim()).toBe('');

    events.interrupted.set(true);
    await fixture.whenStable();
    expect(region.querySelector('[data-testid=live-status]')?.textContent).toContain(
      'Live updates paused',
    );

    events.interrupted.set(false);
    await fixture.whenStable();
    expect(region.textContent?.trim()).toBe('');

    events.interrupted.set(true);
    byRole(el, 'button', 'Log out').click();
    await fixture.whenStable();
    expect(el.querySelector('[data-testid=live-status]')).toBeNull();
  });

  it('sends the user to log in when the session lapses on a protected page', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'] });
    try {
      signIn(60_000);
      const { router } = await setup();
      await router.navigateByUrl('/dashboard/tasks?q=x');
      vi.advanceTimersByTime(60_000);
      await vi.waitFor(() =>
        expect(router.url).toBe('/login?returnUrl=%2Fdashboard%2Ftasks%3Fq%3Dx'),
      );
    } finally {
      vi.useRealTimers();
    }
  });
});
