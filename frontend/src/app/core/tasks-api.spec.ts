import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { firstValueFrom } from 'rxjs';
import { API_BASE_URL } from './api-base-url';
import { TasksApi, toHttpParams } from './tasks-api';

describe('toHttpParams', () => {
  it('sends only the parameters that are set, in the API format', () => {
    const params = toHttpParams({
      status: ['todo', 'in-progress'],
      priority: [],
      tags: ['work', 'urgent'],
      q: '  milk ',
      sort: '-due_date',
      limit: 20,
      offset: 40,
    });
    expect(params.toString()).toBe(
      'status=todo,in-progress&tag=work&tag=urgent&q=milk&sort=-due_date&limit=20&offset=40',
    );
  });

  it('sends nothing for an empty query (unknown or empty parameters are a 400)', () => {
    expect(toHttpParams({ q: ' ', offset: 0, status: [] }).keys()).toEqual([]);
  });
});

describe('TasksApi', () => {
  function setup() {
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        { provide: API_BASE_URL, useValue: 'http://api.test' },
      ],
    });
    return { api: TestBed.inject(TasksApi), http: TestBed.inject(HttpTestingController) };
  }

  it('reads the total from X-Total-Count', async () => {
    const { api, http } = setup();
    const page = firstValueFrom(api.list({ limit: 1 }));
    http
      .expectOne('http://api.test/api/tasks?limit=1')
      .flush([{ id: '1' }], { headers: { 'X-Total-Count': '57' } });
    await expect(page).resolves.toEqual({ tasks: [{ id: '1' }], total: 57 });
  });

  it('patches, deletes and fetches by id', () => {
    const { api, http } = setup();
    api.update('abc', { status: 'done' }).subscribe();
    api.remove('abc').subscribe();
    api.get('abc').subscribe();
    const patch = http.expectOne({ method: 'PATCH', url: 'http://api.test/api/tasks/abc' });
    expect(patch.request.body).toEqual({ status: 'done' });
    http.expectOne({ method: 'DELETE', url: 'http://api.test/api/tasks/abc' });
    http.expectOne({ method: 'GET', url: 'http://api.test/api/tasks/abc' });
  });

  it('sends If-Match with the version it was given, and nothing without one', () => {
    const { api, http } = setup();
    api.update('abc', { title: 'New' }, 3).subscribe();
    api.remove('abc', 4).subscribe();
    api.update('xyz', {}).subscribe();
    expect(
      http
        .expectOne({ method: 'PATCH', url: 'http://api.test/api/tasks/abc' })
        .request.headers.get('If-Match'),
    ).toBe('"3"');
    expect(
      http
        .expectOne({ method: 'DELETE', url: 'http://api.test/api/tasks/abc' })
        .request.headers.get('If-Match'),
    ).toBe('"4"');
    expect(
      http
        .expectOne({ method: 'PATCH', url: 'http://api.test/api/tasks/xyz' })
        .request.headers.has('If-Match'),
    ).toBe(false);
  });

  it('gives every create its own Idempotency-Key unless the caller passes one', () => {
    const { api, http } = setup();
    api.create({ title: 'One' }).subscribe();
    api.create({ title: 'Two' }).subscribe();
    api.create({ title: 'Three' }, 'my-key').subscribe();
    const keys = http
      .match({ method: 'POST', url: 'http://api.test/api/tasks' })
      .map((req) => req.request.headers.get('Idempotency-Key'));
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[0]).not.toBe(keys[1]);
    expect(keys[2]).toBe('my-key');
  });
});
