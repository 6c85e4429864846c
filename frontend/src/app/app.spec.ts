import { provideHttpClient } from '@angular/common/http';
import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
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
      user: { id: '1', email: 'ada@example.com', time_zone: 'UTC', created_at: '' },
    }),
  );
}

async function setup() {
  TestBed.configureTestingModule({
    providers: [
      provideHttpClient(),
      provideRouter([
        { path: 'login', component: Blank },
        { path: 'today', component: Blank },
        { path: 'tasks', component: Blank },
        { path: 'home', component: Blank },
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

describe('App root', () => {
  beforeEach(() => localStorage.clear());

  it('says when live updates are paused, in a status region, only to someone signed in', async () => {
    signIn();
    const { el, fixture, events } = await setup();
    const region = el.querySelector('[role=status]')!;
    expect(region).toBeTruthy();
    expect(region.textContent?.trim()).toBe('');

    events.interrupted.set(true);
    await fixture.whenStable();
    expect(region.querySelector('[data-testid=live-status]')?.textContent).toContain('Live updates paused');

    events.interrupted.set(false);
    await fixture.whenStable();
    expect(region.textContent?.trim()).toBe('');
  });

  it('shows no live status to a visitor', async () => {
    const { el, fixture, events } = await setup();
    events.interrupted.set(true);
    await fixture.whenStable();
    expect(el.querySelector('[data-testid=live-status]')).toBeNull();
  });

  it('sends the user to log in when the session lapses on a protected page', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'] });
    try {
      signIn(60_000);
      const { router } = await setup();
      await router.navigateByUrl('/tasks?q=x');
      vi.advanceTimersByTime(60_000);
      await vi.waitFor(() => expect(router.url).toBe('/login?returnUrl=%2Ftasks%3Fq%3Dx'));
    } finally {
      vi.useRealTimers();
    }
  });

  it('leaves a public page alone when a session lapses there', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'] });
    try {
      signIn(60_000);
      const { router } = await setup();
      await router.navigateByUrl('/home');
      vi.advanceTimersByTime(60_000);
      await Promise.resolve();
      expect(router.url).toBe('/home');
    } finally {
      vi.useRealTimers();
    }
  });
});
