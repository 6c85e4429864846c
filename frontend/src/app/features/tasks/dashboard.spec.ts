import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { byLabel, byRole, type } from '../../../testing/dom';
import {
  FakeTaskEvents,
  deletedEvent,
  provideFakeTaskEvents,
  updatedEvent,
} from '../../../testing/fake-task-events';
import { makeTask } from '../../../testing/factories';
import { API_BASE_URL } from '../../core/api-base-url';
import { errorInterceptor } from '../../core/http-interceptors';
import { Dashboard } from './dashboard';
import { addDays, localIsoDate } from './task-labels';

const LIST = `${location.origin}/api/tasks`;

async function setup() {
  TestBed.configureTestingModule({
    providers: [
      provideRouter([]),
      provideHttpClient(withInterceptors([errorInterceptor])),
      provideHttpClientTesting(),
      { provide: API_BASE_URL, useValue: location.origin },
      provideFakeTaskEvents(),
    ],
  });
  const fixture = TestBed.createComponent(Dashboard);
  await fixture.whenStable();
  const http = TestBed.inject(HttpTestingController);
  const settle = async () => {
    await new Promise((r) => setTimeout(r));
    await fixture.whenStable();
  };
  /** Answers the six summary requests; `totals` by a key of the query string. */
  const answer = (overdue: number, soon: number) => {
    for (const req of http.match((r) => r.method === 'GET' && r.url === LIST)) {
      const p = req.request.params;
      const status = p.get('status');
      let total: number;
      if (p.has('due_before') && !p.has('due_after')) total = overdue;
      else if (p.has('due_after')) total = soon;
      else if (status === 'todo') total = 7;
      else if (status === 'in-progress') total = 2;
      else if (status === 'done') total = 5;
      else total = 14;
      const tasks = p.get('sort') === '-updated_at' ? [makeTask({ title: 'Fresh one' })] : [];
      req.flush(tasks, { headers: { 'X-Total-Count': String(total) } });
    }
  };
  return {
    fixture,
    http,
    settle,
    answer,
    el: fixture.nativeElement as HTMLElement,
    events: TestBed.inject(FakeTaskEvents),
  };
}

describe('Dashboard', () => {
  it('asks for counts, overdue and due-soon tasks with the right dates', async () => {
    const { http } = await setup();
    const requests = http.match((r) => r.url === LIST).map((r) => r.request.params.toString());
    const today = localIsoDate();
    expect(requests).toEqual([
      'status=todo&limit=1',
      'status=in-progress&limit=1',
      'status=done&limit=1',
      `status=todo,in-progress&due_before=${addDays(today, -1)}&sort=due_date&limit=5`,
      `status=todo,in-progress&due_before=${addDays(today, 6)}&due_after=${today}&sort=due_date&limit=5`,
      'sort=-updated_at&limit=5',
    ]);
  });

  it('shows counts by status and the overdue and due-soon totals', async () => {
    const { el, answer, settle } = await setup();
    answer(3, 4);
    await settle();
    expect(el.querySelector('[data-testid=count-todo]')?.textContent).toContain('7');
    expect(el.querySelector('[data-testid=count-in-progress]')?.textContent).toContain('2');
    expect(el.querySelector('[data-testid=count-done]')?.textContent).toContain('5');
    expect(el.querySelector('[data-testid=overdue-count]')?.textContent).toBe('(3)');
    expect(el.querySelector('[data-testid=due-soon-count]')?.textContent).toBe('(4)');
    expect(el.textContent).toContain('Fresh one');
  });

  it('quick-adds a task by title and refreshes the summary', async () => {
    const { el, http, answer, settle } = await setup();
    answer(0, 0);
    await settle();
    type(byLabel(el, 'Title'), '  Water the plants ');
    byRole(el, 'button', 'Add task').click();
    await settle();
    const post = http.expectOne({ method: 'POST', url: LIST });
    expect(post.request.body).toEqual({ title: 'Water the plants' });
    post.flush(makeTask({ title: 'Water the plants' }));
    await settle();
    expect(el.textContent).toContain('Added “Water the plants”.');
    expect(http.match((r) => r.method === 'GET' && r.url === LIST).length).toBe(6);
  });

  it('refuses a title that is too short without calling the API', async () => {
    const { el, http, answer, settle } = await setup();
    answer(0, 0);
    await settle();
    type(byLabel(el, 'Title'), 'ab');
    byRole(el, 'button', 'Add task').click();
    await settle();
    expect(el.textContent).toContain('Title must be at least 3 characters.');
    http.expectNone({ method: 'POST' });
  });

  it('shows changes from another device at once, then refreshes the figures quietly', async () => {
    const { el, http, answer, settle, events } = await setup();
    answer(0, 0);
    await settle();
    events.emit(updatedEvent(makeTask({ title: 'Fresh one, renamed', version: 2 })));
    await settle();
    expect(el.textContent).toContain('Fresh one, renamed');
    expect(http.match((r) => r.url === LIST)).toEqual([]);
    await new Promise((r) => setTimeout(r, 250));
    expect(http.match((r) => r.url === LIST).length).toBe(6);
  });

  it('removes a task deleted elsewhere from its lists', async () => {
    const { el, answer, settle, events } = await setup();
    answer(0, 0);
    await settle();
    events.emit(deletedEvent('id-1', 2));
    await settle();
    expect(el.textContent).not.toContain('Fresh one');
  });
});
