import { provideHttpClient, withInterceptors } from '@angular/common/http';
import {
  HttpTestingController,
  TestRequest,
  provideHttpClientTesting,
} from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { byLabel, byRole, choose, type } from '../../../testing/dom';
import {
  FakeTaskEvents,
  provideFakeTaskEvents,
  updatedEvent,
} from '../../../testing/fake-task-events';
import { makeTask } from '../../../testing/factories';
import { API_BASE_URL } from '../../core/api-base-url';
import { errorInterceptor } from '../../core/http-interceptors';
import { SEARCH_DEBOUNCE_MS, TaskList } from './task-list';

const LIST = `${location.origin}/api/tasks`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function setup(url = '/dashboard/tasks') {
  TestBed.configureTestingModule({
    providers: [
      provideRouter([{ path: 'dashboard/tasks', component: TaskList }]),
      provideHttpClient(withInterceptors([errorInterceptor])),
      provideHttpClientTesting(),
      { provide: API_BASE_URL, useValue: location.origin },
      provideFakeTaskEvents(),
    ],
  });
  const harness = await RouterTestingHarness.create();
  await harness.navigateByUrl(url, TaskList);
  const http = TestBed.inject(HttpTestingController);
  const el = harness.routeNativeElement as HTMLElement;
  const settle = async () => {
    await sleep(0);
    await harness.fixture.whenStable();
  };
  const pendingList = (): TestRequest[] => http.match((r) => r.method === 'GET' && r.url === LIST);
  return {
    harness,
    http,
    el,
    settle,
    pendingList,
    router: TestBed.inject(Router),
    events: TestBed.inject(FakeTaskEvents),
  };
}

describe('TaskList', () => {
  it('asks the API for the view in the URL', async () => {
    const { pendingList } = await setup(
      '/dashboard/tasks?status=done,todo&tag=work&q=milk&sort=title&page=2',
    );
    const [req] = pendingList();
    expect(req.request.params.toString()).toBe(
      'status=todo,done&tag=work&q=milk&sort=title&limit=20&offset=20',
    );
  });

  it('shows the tasks, the count and the pages from X-Total-Count', async () => {
    const { el, settle, pendingList } = await setup();
    pendingList()[0].flush(
      Array.from({ length: 20 }, (_, i) => makeTask({ id: `t${i}`, title: `Task ${i}` })),
      { headers: { 'X-Total-Count': '45' } },
    );
    await settle();
    expect(el.querySelectorAll('[data-testid=task-row]').length).toBe(20);
    expect(el.querySelector('[data-testid=list-summary]')?.textContent).toContain(
      'Showing 1–20 of 45 tasks',
    );
    expect(el.textContent).toContain('Page 1 of 3');
    expect(el.querySelector('a[rel=next]')?.getAttribute('href')).toBe('/dashboard/tasks?page=2');
  });

  it('says what to do when there are no tasks, and when filters hide them all', async () => {
    const { el, settle, pendingList, router } = await setup();
    pendingList()[0].flush([], { headers: { 'X-Total-Count': '0' } });
    await settle();
    expect(el.querySelector('[data-testid=empty-state]')?.textContent).toContain('No tasks yet.');

    await router.navigateByUrl('/dashboard/tasks?status=done');
    pendingList()[0].flush([], { headers: { 'X-Total-Count': '0' } });
    await settle();
    expect(el.querySelector('[data-testid=empty-state]')?.textContent).toContain(
      'No tasks match these filters.',
    );
  });

  it('waits for typing to pause before searching, and keeps the search in the URL', async () => {
    const { el, settle, pendingList, router } = await setup();
    pendingList()[0].flush([], { headers: { 'X-Total-Count': '0' } });
    await settle();
    const search = byLabel(el, 'Search');
    for (const text of ['m', 'mi', 'mil', 'milk']) {
      type(search, text);
      await sleep(20);
    }
    expect(pendingList()).toEqual([]);
    await sleep(SEARCH_DEBOUNCE_MS + 50);
    await settle();
    const requests = pendingList();
    expect(requests.length).toBe(1);
    expect(requests[0].request.params.get('q')).toBe('milk');
    expect(router.url).toBe('/dashboard/tasks?q=milk');
  });

  it('applies a status filter and a sort at once', async () => {
    const { el, settle, pendingList, router } = await setup();
    pendingList()[0].flush([], { headers: { 'X-Total-Count': '0' } });
    await settle();
    const doneBox = byLabel(el, 'Done');
    doneBox.click();
    await settle();
    expect(router.url).toBe('/dashboard/tasks?status=done');
    pendingList()[0].flush([], { headers: { 'X-Total-Count': '0' } });
    choose(byLabel<HTMLSelectElement>(el, 'Sort by'), '-priority');
    await settle();
    expect(router.url).toBe('/dashboard/tasks?status=done&sort=-priority');
    expect(pendingList()[0].request.params.get('sort')).toBe('-priority');
  });

  it('adds a task from the form and shows the list again', async () => {
    const { el, http, settle, pendingList } = await setup();
    pendingList()[0].flush([], { headers: { 'X-Total-Count': '0' } });
    await settle();
    const form = el.querySelector<HTMLFormElement>('form[aria-labelledby=new-task-heading]')!;
    type(byLabel(form, 'Title'), 'Buy milk');
    type(byLabel(form, 'Tags'), 'home, shop');
    choose(byLabel<HTMLSelectElement>(form, 'Priority'), 'high');
    type(byLabel(form, 'Due date'), '2030-01-15');
    byRole(form, 'button', 'Add task').click();
    await settle();
    expect((byRole(form, 'button', 'Add task') as HTMLButtonElement).disabled).toBe(true);
    const post = http.expectOne({ method: 'POST', url: LIST });
    expect(post.request.body).toEqual({
      title: 'Buy milk',
      description: null,
      status: 'todo',
      priority: 'high',
      tags: ['home', 'shop'],
      due_date: '2030-01-15',
    });
    post.flush(makeTask({ title: 'Buy milk' }));
    await settle();
    pendingList()[0].flush([makeTask({ title: 'Buy milk' })], {
      headers: { 'X-Total-Count': '1' },
    });
    await settle();
    expect(el.textContent).toContain('Added “Buy milk”.');
    expect(byLabel(form, 'Title').value).toBe('');
    expect(el.querySelectorAll('[data-testid=task-row]').length).toBe(1);
  });

  it('shows the server reason next to the field it concerns', async () => {
    const { el, http, settle, pendingList } = await setup();
    pendingList()[0].flush([], { headers: { 'X-Total-Count': '0' } });
    await settle();
    const form = el.querySelector<HTMLFormElement>('form[aria-labelledby=new-task-heading]')!;
    type(byLabel(form, 'Title'), 'Valid title');
    byRole(form, 'button', 'Add task').click();
    await settle();
    http.expectOne({ method: 'POST', url: LIST }).flush(
      {
        error: {
          code: 400,
          message: 'Validation failed',
          details: [{ field: 'title', message: 'title must not contain NUL characters' }],
        },
      },
      { status: 400, statusText: '' },
    );
    await settle();
    const title = byLabel(form, 'Title');
    expect(title.getAttribute('aria-invalid')).toBe('true');
    expect(
      el.querySelector(`#${title.getAttribute('aria-describedby')}`)?.textContent?.trim(),
    ).toBe('title must not contain NUL characters');
  });

  it('deletes a task only after confirmation', async () => {
    const { el, http, settle, pendingList } = await setup();
    pendingList()[0].flush([makeTask({ id: 'a', title: 'Old task' })], {
      headers: { 'X-Total-Count': '1' },
    });
    await settle();
    (el.querySelector('button[aria-label="Delete Old task"]') as HTMLButtonElement).click();
    await settle();
    const dialog = el.querySelector('dialog')!;
    expect(dialog.open).toBe(true);
    http.expectNone({ method: 'DELETE' });
    byRole(dialog, 'button', 'Delete').click();
    await settle();
    http
      .expectOne({ method: 'DELETE', url: `${LIST}/a` })
      .flush(null, { status: 204, statusText: '' });
    await settle();
    expect(dialog.open).toBe(false);
    pendingList()[0].flush([], { headers: { 'X-Total-Count': '0' } });
    await settle();
    expect(el.querySelector('[data-testid=empty-state]')?.textContent).toContain('No tasks yet.');
  });

  it('changes the status in place and puts it back if that fails', async () => {
    const { el, http, settle, pendingList } = await setup();
    pendingList()[0].flush([makeTask({ id: 'a', title: 'Thing' })], {
      headers: { 'X-Total-Count': '1' },
    });
    await settle();
    const select = byLabel<HTMLSelectElement>(el, 'Status of Thing');
    choose(select, 'done');
    await settle();
    http
      .expectOne({ method: 'PATCH', url: `${LIST}/a` })
      .flush(
        { error: { code: 500, message: 'Internal server error' } },
        { status: 500, statusText: '' },
      );
    await settle();
    expect(select.value).toBe('todo');
    expect(el.querySelector('[data-testid=task-row] [role=alert]')?.textContent).toContain(
      'Could not change the status: Internal server error',
    );
  });

  const precondition = (current: object) =>
    [
      { error: { code: 412, message: 'Precondition failed', current } },
      { status: 412, statusText: 'Precondition Failed' },
    ] as const;

  it('shows a change made on another device in the row, without a reload', async () => {
    const { el, settle, pendingList, events } = await setup();
    pendingList()[0].flush([makeTask({ id: 'a', title: 'Thing' })], {
      headers: { 'X-Total-Count': '1' },
    });
    await settle();
    events.emit(
      updatedEvent(makeTask({ id: 'a', title: 'Thing, renamed', status: 'done', version: 2 })),
    );
    await settle();
    expect(el.querySelector('[data-testid=task-row] a')?.textContent).toBe('Thing, renamed');
    expect(byLabel<HTMLSelectElement>(el, 'Status of Thing, renamed').value).toBe('done');
  });

  it('a status change that meets a newer version shows that version and says why', async () => {
    const { el, http, settle, pendingList } = await setup();
    pendingList()[0].flush([makeTask({ id: 'a', title: 'Thing' })], {
      headers: { 'X-Total-Count': '1' },
    });
    await settle();
    choose(byLabel<HTMLSelectElement>(el, 'Status of Thing'), 'done');
    await settle();
    http
      .expectOne({ method: 'PATCH', url: `${LIST}/a` })
      .flush(
        ...precondition(makeTask({ id: 'a', title: 'Thing', status: 'in-progress', version: 2 })),
      );
    await settle();
    expect(byLabel<HTMLSelectElement>(el, 'Status of Thing').value).toBe('in-progress');
    expect(el.querySelector('[data-testid=row-notice]')?.textContent).toContain(
      'changed on another device, so your change was not applied',
    );
  });

  it('a delete that meets a newer version closes the dialog and says why on the row', async () => {
    const { el, http, settle, pendingList } = await setup();
    pendingList()[0].flush([makeTask({ id: 'a', title: 'Old task' })], {
      headers: { 'X-Total-Count': '1' },
    });
    await settle();
    (el.querySelector('button[aria-label="Delete Old task"]') as HTMLButtonElement).click();
    await settle();
    const dialog = el.querySelector('dialog')!;
    byRole(dialog, 'button', 'Delete').click();
    await settle();
    http
      .expectOne({ method: 'DELETE', url: `${LIST}/a` })
      .flush(...precondition(makeTask({ id: 'a', title: 'Old task, still needed', version: 2 })));
    await settle();
    expect(dialog.open).toBe(false);
    expect(el.querySelectorAll('[data-testid=task-row]').length).toBe(1);
    expect(el.querySelector('[data-testid=task-row] a')?.textContent).toBe(
      'Old task, still needed',
    );
    expect(el.querySelector('[data-testid=row-notice]')?.textContent).toContain(
      'it was not deleted',
    );
  });

  it('sends a failed create again with the same Idempotency-Key, a new one after success', async () => {
    const { el, http, settle, pendingList } = await setup();
    pendingList()[0].flush([], { headers: { 'X-Total-Count': '0' } });
    await settle();
    const form = el.querySelector<HTMLFormElement>('form[aria-labelledby=new-task-heading]')!;
    const add = async () => {
      byRole(form, 'button', 'Add task').click();
      await settle();
      return http.expectOne({ method: 'POST', url: LIST });
    };
    type(byLabel(form, 'Title'), 'Pay rent');
    const first = await add();
    const key = first.request.headers.get('Idempotency-Key');
    first.error(new ProgressEvent('error'));
    await settle();
    expect(el.textContent).toContain('Cannot reach the server.');

    const second = await add();
    expect(second.request.headers.get('Idempotency-Key')).toBe(key);
    second.flush(makeTask({ title: 'Pay rent' }));
    await settle();
    pendingList()[0].flush([makeTask({ title: 'Pay rent' })], {
      headers: { 'X-Total-Count': '1' },
    });
    await settle();

    type(byLabel(form, 'Title'), 'Pay rent');
    const third = await add();
    expect(third.request.headers.get('Idempotency-Key')).not.toBe(key);
  });
});
