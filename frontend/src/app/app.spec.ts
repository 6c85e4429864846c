import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Component, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { FakeTaskEvents, provideFakeTaskEvents } from '../testing/fake-task-events';
import { answerSessionCheck, authResponse, rememberSession } from '../testing/session';
import { App } from './app';
import { API_BASE_URL } from './core/api-base-url';
import { AuthService } from './core/auth.service';
import { OfflineSync } from './core/offline/offline';

/** Only what the root reads of the offline layer: whether the app works from its copy. */
const offline = signal(false);

@Component({ template: '' })
class Blank {}

/** The app's root, after its start-up session check found a session (or none). */
async function setup(session = false) {
  TestBed.configureTestingModule({
    providers: [
      provideHttpClient(),
      provideHttpClientTesting(),
      provideRouter([
        { path: 'login', component: Blank },
        { path: 'today', component: Blank },
        { path: 'tasks', component: Blank },
        { path: 'home', component: Blank },
      ]),
      { provide: API_BASE_URL, useValue: location.origin },
      provideFakeTaskEvents(),
      { provide: OfflineSync, useValue: { start: () => undefined, offline } },
    ],
  });
  offline.set(false);
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

describe('App root', () => {
  beforeEach(() => localStorage.clear());

  it('says when live updates are paused, in a status region, only to someone signed in', async () => {
    const { el, fixture, events, auth } = await setup(true);
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
    auth.end();
    await fixture.whenStable();
    expect(el.querySelector('[data-testid=live-status]')).toBeNull();
  });

  it('says nothing of the stream reconnecting while the app works offline: the offline status says it', async () => {
    const { el, fixture, events } = await setup(true);
    offline.set(true);
    events.interrupted.set(true);
    await fixture.whenStable();
    expect(el.querySelector('[data-testid=live-status]')).toBeNull();

    offline.set(false);
    await fixture.whenStable();
    expect(el.querySelector('[data-testid=live-status]')?.textContent).toContain('Live updates paused');
  });

  it('sends the user to log in when the session ends on a protected page', async () => {
    const { router, auth } = await setup(true);
    await router.navigateByUrl('/tasks?q=x');
    auth.end();
    await vi.waitFor(() => expect(router.url).toBe('/login?returnUrl=%2Ftasks%3Fq%3Dx'));
  });

  it('leaves a public page alone when the session ends there', async () => {
    const { router, auth } = await setup(true);
    await router.navigateByUrl('/home');
    auth.end();
    await Promise.resolve();
    expect(router.url).toBe('/home');
  });
});
