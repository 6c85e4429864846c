import { HttpClient, provideHttpClient, withInterceptors } from '@angular/common/http';
import {
  HttpTestingController,
  TestRequest,
  provideHttpClientTesting,
} from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { makeTask } from '../../testing/factories';
import { API_BASE_URL } from './api-base-url';
import { ApiError } from './api-error';
import { errorInterceptor, loadingInterceptor } from './http-interceptors';
import { LoadingService } from './loading.service';
import { MAX_ATTEMPTS, retryDelay, retryInterceptor } from './retry-interceptor';

const URL = `${location.origin}/api/tasks`;

function setup() {
  TestBed.configureTestingModule({
    providers: [
      provideHttpClient(withInterceptors([loadingInterceptor, errorInterceptor, retryInterceptor])),
      provideHttpClientTesting(),
      provideRouter([]),
      { provide: API_BASE_URL, useValue: location.origin },
    ],
  });
  return {
    http: TestBed.inject(HttpClient),
    backend: TestBed.inject(HttpTestingController),
    loading: TestBed.inject(LoadingService),
  };
}

const networkFailure = (req: TestRequest) => req.error(new ProgressEvent('error'));
const status = (code: number) => (req: TestRequest) =>
  req.flush({ error: { code, message: `HTTP ${code}` } }, { status: code, statusText: '' });

/** Subscribes and records what comes out. */
function run<T>(source: import('rxjs').Observable<T>) {
  const outcome: { value?: T; error?: unknown; done: boolean } = { done: false };
  source.subscribe({
    next: (value) => (outcome.value = value),
    error: (error: unknown) => {
      outcome.error = error;
      outcome.done = true;
    },
    complete: () => (outcome.done = true),
  });
  return outcome;
}

describe('retryInterceptor', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    // No jitter: every wait is exactly its nominal length.
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
  });
  afterEach(() => {
    vi.restoreAllMocks();
    vi.useRealTimers();
  });

  it('waits 0.5 s, 1 s, 2 s and 4 s between attempts, then gives up with the last error', () => {
    const { http, backend, loading } = setup();
    const outcome = run(http.get(URL));
    const failures = [networkFailure, status(503), status(502), status(504), networkFailure];
    const waits = [500, 1_000, 2_000, 4_000];
    for (const [i, fail] of failures.entries()) {
      fail(backend.expectOne(URL));
      if (i < waits.length) {
        vi.advanceTimersByTime(waits[i] - 1);
        backend.expectNone(URL);
        expect(loading.active()).toBe(true);
        vi.advanceTimersByTime(1);
      }
    }
    expect(failures.length).toBe(MAX_ATTEMPTS);
    expect(outcome.error).toBeInstanceOf(ApiError);
    expect((outcome.error as ApiError).status).toBe(0);
    vi.advanceTimersByTime(60_000);
    backend.expectNone(URL);
    expect(loading.active()).toBe(false);
  });

  it('sends a create again with the same Idempotency-Key, and takes the replayed answer', () => {
    const { http, backend } = setup();
    const outcome = run(
      http.post(URL, { title: 'Once' }, { headers: { 'Idempotency-Key': 'key-1' } }),
    );
    networkFailure(backend.expectOne(URL));
    vi.advanceTimersByTime(500);
    const second = backend.expectOne(URL);
    expect(second.request.headers.get('Idempotency-Key')).toBe('key-1');
    expect(second.request.body).toEqual({ title: 'Once' });
    second.flush(makeTask({ title: 'Once' }), {
      status: 201,
      statusText: 'Created',
      headers: { 'Idempotent-Replayed': 'true' },
    });
    expect(outcome.value).toEqual(makeTask({ title: 'Once' }));
  });

  it('never repeats what could apply twice, nor errors that will not go away', () => {
    const { http, backend } = setup();
    const unsafe = [
      run(http.post(URL, { title: 'No key' })),
      run(http.patch(`${URL}/a`, { title: 'No version' })),
      run(http.delete(`${URL}/b`)),
    ];
    networkFailure(backend.expectOne({ method: 'POST', url: URL }));
    networkFailure(backend.expectOne({ method: 'PATCH', url: `${URL}/a` }));
    status(503)(backend.expectOne({ method: 'DELETE', url: `${URL}/b` }));
    const final = [run(http.get(`${URL}/c`)), run(http.get(`${URL}/d`))];
    status(500)(backend.expectOne(`${URL}/c`));
    status(429)(backend.expectOne(`${URL}/d`));
    vi.advanceTimersByTime(60_000);
    backend.verify();
    expect([...unsafe, ...final].every((o) => o.error instanceof ApiError)).toBe(true);
  });

  it('counts a retried PATCH as done when the 412 shows the change already applied', () => {
    const { http, backend } = setup();
    const outcome = run(
      http.patch(`${URL}/t1`, { status: 'done', tags: ['a'] }, { headers: { 'If-Match': '"3"' } }),
    );
    networkFailure(backend.expectOne(`${URL}/t1`));
    vi.advanceTimersByTime(500);
    const retry = backend.expectOne(`${URL}/t1`);
    expect(retry.request.headers.get('If-Match')).toBe('"3"');
    const current = makeTask({ id: 't1', status: 'done', tags: ['a'], version: 4 });
    retry.flush(
      { error: { code: 412, message: 'Precondition failed', current } },
      { status: 412, statusText: '', headers: { ETag: '"4"' } },
    );
    expect(outcome.error).toBeUndefined();
    expect(outcome.value).toEqual(current);
  });

  it('passes a 412 on when the current task does not hold the change, or on a first attempt', () => {
    const { http, backend } = setup();
    const retried = run(
      http.patch(`${URL}/t1`, { status: 'done' }, { headers: { 'If-Match': '"3"' } }),
    );
    networkFailure(backend.expectOne(`${URL}/t1`));
    vi.advanceTimersByTime(500);
    const other = makeTask({ id: 't1', status: 'in-progress', version: 4 });
    backend
      .expectOne(`${URL}/t1`)
      .flush(
        { error: { code: 412, message: 'Precondition failed', current: other } },
        { status: 412, statusText: '' },
      );
    expect((retried.error as ApiError).status).toBe(412);
    expect((retried.error as ApiError).current).toEqual(other);

    // Someone else made the same change: still a conflict the caller must see.
    const first = run(
      http.patch(`${URL}/t2`, { status: 'done' }, { headers: { 'If-Match': '"1"' } }),
    );
    const same = makeTask({ id: 't2', status: 'done', version: 2 });
    backend
      .expectOne(`${URL}/t2`)
      .flush(
        { error: { code: 412, message: 'Precondition failed', current: same } },
        { status: 412, statusText: '' },
      );
    expect((first.error as ApiError).status).toBe(412);
  });

  it('counts a retried DELETE that finds the task gone as done', () => {
    const { http, backend } = setup();
    const outcome = run(http.delete(`${URL}/t1`, { headers: { 'If-Match': '"2"' } }));
    status(502)(backend.expectOne(`${URL}/t1`));
    vi.advanceTimersByTime(500);
    status(403)(backend.expectOne(`${URL}/t1`));
    expect(outcome.error).toBeUndefined();
    expect(outcome.done).toBe(true);
  });

  it('spreads the waits by up to 20 % either way and caps them at 4 s', () => {
    expect(retryDelay(1, 0)).toBe(400);
    expect(retryDelay(1, 1)).toBe(600);
    expect(retryDelay(3, 0.5)).toBe(2_000);
    expect(retryDelay(9, 0.5)).toBe(4_000);
  });
});
