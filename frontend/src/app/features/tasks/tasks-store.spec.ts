import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { API_BASE_URL } from '../../core/api-base-url';
import {
  FakeTaskEvents,
  deletedEvent,
  provideFakeTaskEvents,
  updatedEvent,
} from '../../../testing/fake-task-events';
import { makeTask } from '../../../testing/factories';
import { errorInterceptor } from '../../core/http-interceptors';
import { BACKGROUND_REQUEST } from '../../core/loading.service';
import { REFRESH_DEBOUNCE_MS } from '../../core/task-events';
import { EMPTY_QUERY } from './task-query';
import { TasksStore } from './tasks-store';

function setup() {
  TestBed.configureTestingModule({
    providers: [
      TasksStore,
      provideRouter([]),
      provideHttpClient(withInterceptors([errorInterceptor])),
      provideHttpClientTesting(),
      { provide: API_BASE_URL, useValue: location.origin },
      provideFakeTaskEvents(),
    ],
  });
  return {
    store: TestBed.inject(TasksStore),
    http: TestBed.inject(HttpTestingController),
    events: TestBed.inject(FakeTaskEvents),
  };
}

const LIST = `${location.origin}/api/tasks`;

describe('TasksStore', () => {
  it('loads one page and its total', () => {
    const { store, http } = setup();
    store.load({ ...EMPTY_QUERY, status: ['done'], page: 2 });
    expect(store.loading()).toBe(true);
    const req = http.expectOne((r) => r.url === LIST);
    expect(req.request.params.toString()).toBe('status=done&sort=-created_at&limit=20&offset=20');
    req.flush([makeTask({ id: 'a' }), makeTask({ id: 'b' })], {
      headers: { 'X-Total-Count': '22' },
    });
    expect(store.loading()).toBe(false);
    expect(store.tasks().map((t) => t.id)).toEqual(['a', 'b']);
    expect(store.total()).toBe(22);
    expect(store.pageCount()).toBe(2);
    expect(store.range()).toEqual({ first: 21, last: 22 });
  });

  it('drops the answer of a query that a newer one replaced', () => {
    const { store, http } = setup();
    store.load({ ...EMPTY_QUERY, q: 'mi' });
    store.load({ ...EMPTY_QUERY, q: 'milk' });
    const [older, newer] = http.match((r) => r.url === LIST);
    expect(older.cancelled).toBe(true);
    newer.flush([makeTask({ title: 'Buy milk' })], { headers: { 'X-Total-Count': '1' } });
    expect(store.tasks()[0].title).toBe('Buy milk');
  });

  it('reports a failed load in words', () => {
    const { store, http } = setup();
    store.load(EMPTY_QUERY);
    http
      .expectOne((r) => r.url === LIST)
      .flush(
        { error: { code: 500, message: 'Internal server error' } },
        { status: 500, statusText: '' },
      );
    expect(store.error()).toBe('Internal server error');
    expect(store.loading()).toBe(false);
  });

  it('changes a status in place', async () => {
    const { store, http } = setup();
    store.load(EMPTY_QUERY);
    http
      .expectOne((r) => r.url === LIST)
      .flush([makeTask()], { headers: { 'X-Total-Count': '1' } });
    const done = firstValueFrom(store.setStatus(store.tasks()[0], 'done'));
    expect(store.pending().has('id-1')).toBe(true);
    const patch = http.expectOne(`${LIST}/id-1`);
    expect(patch.request.body).toEqual({ status: 'done' });
    expect(patch.request.headers.get('If-Match')).toBe('"1"');
    patch.flush(makeTask({ status: 'done' }));
    await done;
    expect(store.tasks()[0].status).toBe('done');
    expect(store.pending().has('id-1')).toBe(false);
  });

  it('keeps the old status and says why when the change fails', async () => {
    const { store, http } = setup();
    store.load(EMPTY_QUERY);
    http
      .expectOne((r) => r.url === LIST)
      .flush([makeTask()], { headers: { 'X-Total-Count': '1' } });
    const result = firstValueFrom(store.setStatus(store.tasks()[0], 'done'));
    http
      .expectOne(`${LIST}/id-1`)
      .flush(
        { error: { code: 403, message: 'Access denied: task not found or not owned by user' } },
        { status: 403, statusText: '' },
      );
    await expect(result).rejects.toBeTruthy();
    expect(store.tasks()[0].status).toBe('todo');
    expect(store.rowErrors()['id-1']).toBe(
      'Could not change the status: Access denied: task not found or not owned by user',
    );
  });

  it('removes a deleted task and lowers the total', async () => {
    const { store, http } = setup();
    store.load(EMPTY_QUERY);
    http
      .expectOne((r) => r.url === LIST)
      .flush([makeTask({ id: 'a' }), makeTask({ id: 'b' })], { headers: { 'X-Total-Count': '2' } });
    const removed = firstValueFrom(store.remove(store.tasks()[0]), { defaultValue: undefined });
    http
      .expectOne({ method: 'DELETE', url: `${LIST}/a` })
      .flush(null, { status: 204, statusText: '' });
    await removed;
    expect(store.tasks().map((t) => t.id)).toEqual(['b']);
    expect(store.total()).toBe(1);
  });

  it('reloads the list after creating a task', async () => {
    const { store, http } = setup();
    store.load(EMPTY_QUERY);
    http.expectOne((r) => r.url === LIST).flush([], { headers: { 'X-Total-Count': '0' } });
    const created = firstValueFrom(store.create({ title: 'New one' }));
    const post = http.expectOne({ method: 'POST', url: LIST });
    expect(post.request.body).toEqual({ title: 'New one' });
    post.flush(makeTask({ title: 'New one' }));
    await created;
    http
      .expectOne((r) => r.url === LIST && r.method === 'GET')
      .flush([makeTask({ title: 'New one' })], { headers: { 'X-Total-Count': '1' } });
    expect(store.total()).toBe(1);
  });

  describe('live', () => {
    beforeEach(() => vi.useFakeTimers());
    afterEach(() => vi.useRealTimers());

    function loaded(tasks = [makeTask({ id: 'a', title: 'Alpha' }), makeTask({ id: 'b' })]) {
      const ctx = setup();
      ctx.store.load(EMPTY_QUERY);
      ctx.http
        .expectOne((r) => r.url === LIST)
        .flush(tasks, { headers: { 'X-Total-Count': String(tasks.length) } });
      return ctx;
    }
    const refreshes = (http: HttpTestingController) =>
      http.match((r) => r.method === 'GET' && r.url === LIST);

    it('shows a newer version at once, then re-fetches the page quietly', () => {
      const { store, http, events } = loaded();
      events.emit(updatedEvent(makeTask({ id: 'a', title: 'Alpha, renamed', version: 2 })));
      expect(store.tasks()[0].title).toBe('Alpha, renamed');
      expect(store.loading()).toBe(false);
      expect(refreshes(http)).toEqual([]);

      vi.advanceTimersByTime(REFRESH_DEBOUNCE_MS);
      const [refresh] = refreshes(http);
      expect(refresh.request.context.get(BACKGROUND_REQUEST)).toBe(true);
      expect(store.loading()).toBe(false);
      refresh.flush([makeTask({ id: 'new', title: 'Made elsewhere' }), ...store.tasks()], {
        headers: { 'X-Total-Count': '3' },
      });
      expect(store.tasks().map((t) => t.id)).toEqual(['new', 'a', 'b']);
      expect(store.total()).toBe(3);
    });

    it('ignores a version it already shows, such as its own change coming back', () => {
      const { store, http, events } = loaded([makeTask({ id: 'a', title: 'Mine', version: 3 })]);
      events.emit(updatedEvent(makeTask({ id: 'a', title: 'Older', version: 2 })));
      events.emit(updatedEvent(makeTask({ id: 'a', title: 'Mine', version: 3 })));
      vi.advanceTimersByTime(REFRESH_DEBOUNCE_MS * 5);
      expect(store.tasks()[0].title).toBe('Mine');
      expect(refreshes(http)).toEqual([]);
    });

    it('drops a task deleted elsewhere at once', () => {
      const { store, events } = loaded();
      events.emit(deletedEvent('a', 2));
      expect(store.tasks().map((t) => t.id)).toEqual(['b']);
      expect(store.total()).toBe(1);
    });

    it('keeps a row an event brought further than a refresh that left earlier', () => {
      const { store, http, events } = loaded();
      store.refresh();
      const [refresh] = refreshes(http);
      events.emit(updatedEvent(makeTask({ id: 'a', title: 'Newest', version: 3 })));
      refresh.flush([makeTask({ id: 'a', title: 'Stale', version: 2 })], {
        headers: { 'X-Total-Count': '1' },
      });
      expect(store.tasks()[0].title).toBe('Newest');
    });

    it('re-fetches after a reconnection, since changes may have been missed', () => {
      const { http, events } = loaded();
      events.resync();
      vi.advanceTimersByTime(REFRESH_DEBOUNCE_MS);
      expect(refreshes(http).length).toBe(1);
    });
  });

  describe('quick actions on a task changed elsewhere (412)', () => {
    const precondition = (current: object) =>
      [
        { error: { code: 412, message: 'Precondition failed', current } },
        { status: 412, statusText: 'Precondition Failed' },
      ] as const;

    it('a status change applies nothing and shows the current version, politely', async () => {
      const { store, http } = setup();
      store.load(EMPTY_QUERY);
      http
        .expectOne((r) => r.url === LIST)
        .flush([makeTask({ id: 'a', title: 'Plan' })], { headers: { 'X-Total-Count': '1' } });
      const result = firstValueFrom(store.setStatus(store.tasks()[0], 'done'));
      const current = makeTask({ id: 'a', title: 'Plan B', status: 'in-progress', version: 2 });
      http.expectOne(`${LIST}/a`).flush(...precondition(current));
      await expect(result).rejects.toBeTruthy();
      expect(store.tasks()[0]).toEqual(current);
      expect(store.rowErrors()['a']).toBeUndefined();
      expect(store.rowNotices()['a']).toBe(
        'This task was just changed on another device, so your change was not applied. It now shows the latest version.',
      );
    });

    it('a delete deletes nothing and shows the current version', async () => {
      const { store, http } = setup();
      store.load(EMPTY_QUERY);
      http
        .expectOne((r) => r.url === LIST)
        .flush([makeTask({ id: 'a', version: 4 })], { headers: { 'X-Total-Count': '1' } });
      const result = firstValueFrom(store.remove(store.tasks()[0]), { defaultValue: undefined });
      const del = http.expectOne({ method: 'DELETE', url: `${LIST}/a` });
      expect(del.request.headers.get('If-Match')).toBe('"4"');
      del.flush(...precondition(makeTask({ id: 'a', title: 'Renamed', version: 5 })));
      await expect(result).rejects.toBeTruthy();
      expect(store.tasks().map((t) => [t.title, t.version])).toEqual([['Renamed', 5]]);
      expect(store.total()).toBe(1);
      expect(store.rowNotices()['a']).toContain('so it was not deleted.');
    });
  });
});
