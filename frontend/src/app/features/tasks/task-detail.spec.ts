import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter, withComponentInputBinding } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { byLabel, byRole, choose, type } from '../../../testing/dom';
import {
  FakeTaskEvents,
  deletedEvent,
  provideFakeTaskEvents,
  updatedEvent,
} from '../../../testing/fake-task-events';
import { makeTask } from '../../../testing/factories';
import { API_BASE_URL } from '../../core/api-base-url';
import { errorInterceptor } from '../../core/http-interceptors';
import { TaskDetail } from './task-detail';

@Component({ template: '' })
class Blank {}

const LIST = `${location.origin}/api/tasks`;

async function setup(id = 'abc') {
  TestBed.configureTestingModule({
    providers: [
      provideRouter(
        [
          { path: 'dashboard/tasks', component: Blank },
          { path: 'dashboard/tasks/:id', component: TaskDetail },
        ],
        withComponentInputBinding(),
      ),
      provideHttpClient(withInterceptors([errorInterceptor])),
      provideHttpClientTesting(),
      { provide: API_BASE_URL, useValue: location.origin },
      provideFakeTaskEvents(),
    ],
  });
  const harness = await RouterTestingHarness.create();
  await harness.navigateByUrl(`/dashboard/tasks/${id}`, TaskDetail);
  const settle = async () => {
    await new Promise((r) => setTimeout(r));
    await harness.fixture.whenStable();
  };
  return {
    harness,
    settle,
    http: TestBed.inject(HttpTestingController),
    el: harness.routeNativeElement as HTMLElement,
    router: TestBed.inject(Router),
    events: TestBed.inject(FakeTaskEvents),
  };
}

describe('TaskDetail', () => {
  it('explains a task that is not yours or no longer exists', async () => {
    const { http, el, settle } = await setup('abc');
    http
      .expectOne(`${LIST}/abc`)
      .flush(
        { error: { code: 403, message: 'Access denied: task not found or not owned by user' } },
        { status: 403, statusText: 'Forbidden' },
      );
    await settle();
    expect(el.querySelector('h1')?.textContent).toBe('This task is not available');
    expect(el.querySelector('form')).toBeNull();
  });

  it('shows every field and saves only what changed', async () => {
    const task = makeTask({
      id: 'abc',
      title: 'Write report',
      description: 'Q3 numbers',
      priority: 'medium',
      tags: ['work'],
      due_date: '2030-05-01',
    });
    const { http, el, settle } = await setup('abc');
    http.expectOne(`${LIST}/abc`).flush(task);
    await settle();
    expect(byLabel(el, 'Title').value).toBe('Write report');
    expect(byLabel<HTMLTextAreaElement>(el, 'Description').value).toBe('Q3 numbers');
    expect(byLabel<HTMLSelectElement>(el, 'Priority').value).toBe('medium');
    expect(byLabel(el, 'Tags').value).toBe('work');
    expect(byLabel(el, 'Due date').value).toBe('2030-05-01');

    type(byLabel(el, 'Title'), 'Write the report');
    choose(byLabel<HTMLSelectElement>(el, 'Status'), 'in-progress');
    byRole(el, 'button', 'Save').click();
    await settle();
    expect((byRole(el, 'button', 'Save') as HTMLButtonElement).disabled).toBe(true);
    const patch = http.expectOne({ method: 'PATCH', url: `${LIST}/abc` });
    expect(patch.request.body).toEqual({ title: 'Write the report', status: 'in-progress' });
    patch.flush({ ...task, title: 'Write the report', status: 'in-progress' });
    await settle();
    expect(el.querySelector('h1')?.textContent).toBe('Write the report');
    expect(el.textContent).toContain('Saved.');
  });

  it('deletes after confirmation and goes back to the list', async () => {
    const { http, el, settle, router } = await setup('abc');
    http.expectOne(`${LIST}/abc`).flush(makeTask({ id: 'abc' }));
    await settle();
    byRole(el, 'button', 'Delete').click();
    await settle();
    const dialog = el.querySelector('dialog')!;
    byRole(dialog, 'button', 'Delete').click();
    await settle();
    http
      .expectOne({ method: 'DELETE', url: `${LIST}/abc` })
      .flush(null, { status: 204, statusText: '' });
    await settle();
    expect(router.url).toBe('/dashboard/tasks');
  });

  it('sends the version it was editing as If-Match', async () => {
    const { http, el, settle } = await setup('abc');
    http.expectOne(`${LIST}/abc`).flush(makeTask({ id: 'abc', version: 7 }));
    await settle();
    type(byLabel(el, 'Title'), 'Changed title');
    byRole(el, 'button', 'Save').click();
    const patch = http.expectOne({ method: 'PATCH', url: `${LIST}/abc` });
    expect(patch.request.headers.get('If-Match')).toBe('"7"');
  });
});

describe('TaskDetail with changes from another device', () => {
  const BASE = makeTask({ id: 'abc', title: 'Write report', description: 'Q3 numbers' });
  const panel = (el: HTMLElement) => el.querySelector<HTMLElement>('[data-testid=conflict]');
  const precondition = (current: object) =>
    [
      { error: { code: 412, message: 'Precondition failed', current } },
      { status: 412, statusText: 'Precondition Failed' },
    ] as const;

  async function opened() {
    const ctx = await setup('abc');
    ctx.http.expectOne(`${LIST}/abc`).flush(BASE);
    await ctx.settle();
    return ctx;
  }

  it('without unsaved edits takes the new version and says so quietly', async () => {
    const { el, events, settle, http } = await opened();
    events.emit(updatedEvent({ ...BASE, title: 'Write the report', version: 2 }));
    await settle();
    expect(byLabel(el, 'Title').value).toBe('Write the report');
    expect(el.querySelector('h1')?.textContent).toBe('Write the report');
    expect(el.querySelector('[data-testid=task-notice]')?.textContent?.trim()).toBe(
      'Updated on another device.',
    );
    expect(panel(el)).toBeNull();
    // The same version again (e.g. after resuming) is not news.
    events.emit(updatedEvent({ ...BASE, title: 'Write the report', version: 2 }));
    events.emit(updatedEvent({ ...BASE, title: 'Older', version: 1 }));
    await settle();
    expect(byLabel(el, 'Title').value).toBe('Write the report');
    http.verify();
  });

  it('with unsaved edits lists both values, and Keep mine saves mine over their version', async () => {
    const { el, events, settle, http } = await opened();
    type(byLabel(el, 'Title'), 'My title');
    events.emit(
      updatedEvent({ ...BASE, title: 'Their title', description: 'Q4 numbers', version: 2 }),
    );
    await settle();
    const conflict = panel(el)!;
    expect(conflict.querySelector('h2')?.textContent?.trim()).toBe('Changed on another device');
    expect(conflict.querySelector('[role=alert]')).not.toBeNull();
    expect(conflict.querySelector('[data-testid=theirs-title]')?.textContent).toContain(
      'Their title',
    );
    expect(conflict.querySelector('[data-testid=mine-title]')?.textContent).toContain('My title');
    expect(conflict.textContent).toContain('Their changes to description are kept either way.');
    // Nothing was overwritten: the form still holds what was typed.
    expect(byLabel(el, 'Title').value).toBe('My title');
    http.verify();

    byRole(conflict, 'button', 'Keep mine').click();
    const patch = http.expectOne({ method: 'PATCH', url: `${LIST}/abc` });
    expect(patch.request.headers.get('If-Match')).toBe('"2"');
    expect(patch.request.body).toEqual({ title: 'My title' });
    patch.flush({ ...BASE, title: 'My title', description: 'Q4 numbers', version: 3 });
    await settle();
    expect(panel(el)).toBeNull();
    expect(byLabel(el, 'Title').value).toBe('My title');
    expect(byLabel<HTMLTextAreaElement>(el, 'Description').value).toBe('Q4 numbers');
    expect(el.textContent).toContain('Saved.');
  });

  it('a 412 on save offers the same choice; Take theirs discards the edits', async () => {
    const { el, settle, http } = await opened();
    type(byLabel(el, 'Title'), 'My title');
    byRole(el, 'button', 'Save').click();
    http
      .expectOne({ method: 'PATCH', url: `${LIST}/abc` })
      .flush(...precondition({ ...BASE, title: 'Their title', version: 2 }));
    await settle();
    const conflict = panel(el)!;
    expect(conflict.querySelector('[data-testid=theirs-title]')?.textContent).toContain(
      'Their title',
    );
    expect(document.activeElement?.id).toBe('conflict-heading');

    byRole(conflict, 'button', 'Take theirs').click();
    await settle();
    expect(panel(el)).toBeNull();
    expect(byLabel(el, 'Title').value).toBe('Their title');
    http.verify();
  });

  it('Keep mine that meets yet another version shows the choice again, with it', async () => {
    const { el, events, settle, http } = await opened();
    type(byLabel(el, 'Title'), 'My title');
    events.emit(updatedEvent({ ...BASE, title: 'Theirs v2', version: 2 }));
    await settle();
    byRole(panel(el)!, 'button', 'Keep mine').click();
    http
      .expectOne({ method: 'PATCH', url: `${LIST}/abc` })
      .flush(...precondition({ ...BASE, title: 'Theirs v3', version: 3 }));
    await settle();
    expect(panel(el)!.querySelector('[data-testid=theirs-title]')?.textContent).toContain(
      'Theirs v3',
    );
    byRole(panel(el)!, 'button', 'Keep mine').click();
    const again = http.expectOne({ method: 'PATCH', url: `${LIST}/abc` });
    expect(again.request.headers.get('If-Match')).toBe('"3"');
  });

  it('its own save coming back as an event is not mistaken for someone else’s', async () => {
    const { el, events, settle, http } = await opened();
    type(byLabel(el, 'Title'), 'My title');
    byRole(el, 'button', 'Save').click();
    const patch = http.expectOne({ method: 'PATCH', url: `${LIST}/abc` });
    const saved = { ...BASE, title: 'My title', version: 2 };
    events.emit(updatedEvent(saved));
    patch.flush(saved);
    await settle();
    expect(el.textContent).toContain('Saved.');
    expect(el.querySelector('[data-testid=task-notice]')?.textContent?.trim()).toBe('');
    expect(panel(el)).toBeNull();
  });

  it('a task deleted elsewhere keeps the text on screen and can be added again', async () => {
    const { el, events, settle, http, router } = await opened();
    type(byLabel<HTMLTextAreaElement>(el, 'Description'), 'Q3 numbers, with charts');
    events.emit(deletedEvent('abc', 2));
    await settle();
    const gone = el.querySelector<HTMLElement>('[data-testid=deleted-elsewhere]')!;
    expect(gone.querySelector('[role=alert]')?.textContent).toContain(
      'This task was deleted on another device.',
    );
    expect(byLabel<HTMLTextAreaElement>(el, 'Description').value).toBe('Q3 numbers, with charts');
    expect(el.querySelector('button[type=submit]')).toBeNull();

    byRole(gone, 'button', 'Add it again').click();
    const post = http.expectOne({ method: 'POST', url: LIST });
    expect(post.request.headers.get('Idempotency-Key')).toMatch(/^[0-9a-f-]{36}$/);
    expect(post.request.body).toMatchObject({
      title: 'Write report',
      description: 'Q3 numbers, with charts',
    });
    post.flush({ ...BASE, id: 'new-id', description: 'Q3 numbers, with charts' });
    await settle();
    expect(router.url).toBe('/dashboard/tasks/new-id');
    expect(el.querySelector('[data-testid=deleted-elsewhere]')).toBeNull();
    expect(byLabel<HTMLTextAreaElement>(el, 'Description').value).toBe('Q3 numbers, with charts');
    http.verify();
  });

  it('after a reconnection fetches the task quietly in case something was missed', async () => {
    const { el, events, settle, http } = await opened();
    events.resync();
    await new Promise((r) => setTimeout(r, 250));
    http.expectOne(`${LIST}/abc`).flush({ ...BASE, status: 'done', version: 2 });
    await settle();
    expect(byLabel<HTMLSelectElement>(el, 'Status').value).toBe('done');
  });
});
