import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter, withComponentInputBinding } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { byLabel, byRole, choose, type } from '../../../testing/dom';
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
});
