import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { API_BASE_URL } from '../../core/api-base-url';
import { makeTask } from '../../../testing/factories';
import { errorInterceptor } from '../../core/http-interceptors';
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
    ],
  });
  return { store: TestBed.inject(TasksStore), http: TestBed.inject(HttpTestingController) };
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
});
