import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { makeTask } from '../../../testing/factories';
import { FakeTaskEvents, deletedEvent, provideFakeTaskEvents, updatedEvent } from '../../../testing/fake-task-events';
import { API_BASE_URL } from '../../core/api-base-url';
import { errorInterceptor } from '../../core/http-interceptors';
import { Task } from '../../core/api-models';
import { OfflineSync } from '../../core/offline/offline';
import { Toasts } from '../../core/toasts';
import { Subject } from 'rxjs';
import { TaskEditorStore, UPDATED_ELSEWHERE } from './task-editor-store';

const API = `${location.origin}/api/tasks`;
const TASK = makeTask({ id: 't1', title: 'Plan the week', description: 'Draft', version: 3 });

/** A change made offline that met a newer version when sent, as OfflineSync holds it. */
class FakeOfflineConflicts {
  readonly conflicts$ = new Subject<string>();
  held: { before: Task; changes: unknown; theirs: Task } | null = null;
  resolved: [string, Task | null][] = [];
  conflictFor = () => this.held;
  resolveConflict = async (id: string, theirs: Task | null) => {
    this.resolved.push([id, theirs]);
    this.held = null;
  };
}

function setup(offline?: FakeOfflineConflicts) {
  TestBed.configureTestingModule({
    providers: [
      TaskEditorStore,
      ...(offline ? [{ provide: OfflineSync, useValue: offline }] : []),
      provideRouter([]),
      provideHttpClient(withInterceptors([errorInterceptor])),
      provideHttpClientTesting(),
      { provide: API_BASE_URL, useValue: location.origin },
      provideFakeTaskEvents(),
    ],
  });
  const store = TestBed.inject(TaskEditorStore);
  const http = TestBed.inject(HttpTestingController);
  const events = TestBed.inject(FakeTaskEvents);
  const open = (task = TASK) => {
    store.open(task.id);
    http.expectOne(`${API}/${task.id}`).flush(task);
  };
  return { store, http, events, open };
}

const kind = (store: TaskEditorStore) => store.state().kind;

describe('TaskEditorStore', () => {
  it('loads into editing; a 403 or a malformed id is "unavailable", anything else can be retried', () => {
    const { store, http, open } = setup();
    store.open('x');
    expect(kind(store)).toBe('loading');
    http.expectOne(`${API}/x`).flush({ error: { code: 403, message: 'no' } }, { status: 403, statusText: 'Forbidden' });
    expect(kind(store)).toBe('unavailable');
    store.open('y');
    http.expectOne(`${API}/y`).flush({ error: { code: 500, message: 'boom' } }, { status: 500, statusText: 'Error' });
    expect(store.state()).toEqual({ kind: 'failed', id: 'y', message: 'boom' });
    open();
    expect(kind(store)).toBe('editing');
    expect(store.form.controls.title.value).toBe('Plan the week');
  });

  it('opens a change made offline that met their version on the conflict; Keep mine settles it, then sends against theirs', async () => {
    const offline = new FakeOfflineConflicts();
    const theirs = { ...TASK, description: 'Theirs', version: 4 };
    offline.held = { before: TASK, changes: { description: 'Mine' }, theirs };
    const { store, http, open } = setup(offline);
    open(theirs);
    expect(store.state()).toMatchObject({ kind: 'conflict', task: TASK, theirs });
    expect(store.conflict()?.mine).toEqual({ description: 'Mine' });
    store.save();
    await Promise.resolve();
    expect(offline.resolved).toEqual([['t1', null]]);
    const req = http.expectOne(`${API}/t1`);
    expect(req.request.body).toEqual({ description: 'Mine' });
    expect(req.request.headers.get('If-Match')).toBe('"4"');
  });

  it('Take theirs on a change made offline drops the waiting change and shows theirs', () => {
    const offline = new FakeOfflineConflicts();
    const theirs = { ...TASK, title: 'Their title', version: 4 };
    offline.held = { before: TASK, changes: { title: 'My title' }, theirs };
    const { store, open } = setup(offline);
    open(theirs);
    store.takeTheirs();
    expect(offline.resolved).toEqual([['t1', theirs]]);
    expect(store.state()).toMatchObject({ kind: 'editing', task: theirs });
    expect(store.form.controls.title.value).toBe('Their title');
  });

  it('saves only what changed, with the version it started from', () => {
    const { store, http, open } = setup();
    open();
    store.form.controls.title.setValue('Plan the month');
    expect(store.dirty()).toBe(true);
    store.save();
    expect(kind(store)).toBe('saving');
    const req = http.expectOne(`${API}/t1`);
    expect(req.request.body).toEqual({ title: 'Plan the month' });
    expect(req.request.headers.get('If-Match')).toBe('"3"');
    req.flush({ ...TASK, title: 'Plan the month', version: 4 });
    expect(store.state()).toMatchObject({ kind: 'editing', saved: 'Saved.' });
    expect(store.dirty()).toBe(false);
  });

  it('does not send an invalid form, and says nothing changed when nothing did', () => {
    const { store, http, open } = setup();
    open();
    store.save();
    expect(store.state()).toMatchObject({ kind: 'editing', saved: 'Nothing to save: no field changed.' });
    store.form.controls.title.setValue('ab');
    store.save();
    expect(store.submitted()).toBe(true);
    http.expectNone(`${API}/t1`);
  });

  it('follows a change from elsewhere when nothing is unsaved here', () => {
    const { store, events, open } = setup();
    open();
    events.emit(updatedEvent({ ...TASK, description: 'From the phone', version: 4 }));
    expect(store.state()).toMatchObject({ kind: 'editing', notice: UPDATED_ELSEWHERE });
    expect(store.form.controls.description.value).toBe('From the phone');
  });

  it('a change from elsewhere over unsaved edits is a conflict: keep mine sends my edits against theirs', () => {
    const { store, http, events, open } = setup();
    open();
    store.form.controls.title.setValue('Mine');
    const theirs = { ...TASK, title: 'Theirs', description: 'Their notes', version: 4 };
    events.emit(updatedEvent(theirs));
    expect(kind(store)).toBe('conflict');
    expect(store.conflict()).toEqual({ theirs, mine: { title: 'Mine' }, theirOnly: ['description'] });
    store.save();
    const req = http.expectOne(`${API}/t1`);
    expect(req.request.headers.get('If-Match')).toBe('"4"');
    expect(req.request.body).toEqual({ title: 'Mine' });
    req.flush({ ...theirs, title: 'Mine', version: 5 });
    expect(store.state()).toMatchObject({ kind: 'editing', saved: 'Saved.' });
    expect(store.form.controls.description.value).toBe('Their notes');
  });

  it('take theirs drops my edits', () => {
    const { store, events, open } = setup();
    open();
    store.form.controls.title.setValue('Mine');
    events.emit(updatedEvent({ ...TASK, title: 'Theirs', version: 4 }));
    store.takeTheirs();
    expect(store.state()).toMatchObject({ kind: 'editing', notice: 'Showing their version; your edits were discarded.' });
    expect(store.form.controls.title.value).toBe('Theirs');
  });

  it('a 412 on save shows the conflict with the version the server sent', () => {
    const { store, http, open } = setup();
    open();
    store.form.controls.title.setValue('Mine');
    store.save();
    http
      .expectOne(`${API}/t1`)
      .flush(
        { error: { code: 412, message: 'changed', current: { ...TASK, title: 'Theirs', version: 4 } } },
        { status: 412, statusText: 'Precondition Failed' },
      );
    expect(kind(store)).toBe('conflict');
  });

  it('its own save echoed back by the stream is not taken for a change from elsewhere', () => {
    const { store, http, events, open } = setup();
    open();
    store.form.controls.title.setValue('Mine');
    store.save();
    // The event arrives before the answer: it waits until the request has answered.
    events.emit(updatedEvent({ ...TASK, title: 'Mine', version: 4 }));
    http.expectOne(`${API}/t1`).flush({ ...TASK, title: 'Mine', version: 4 });
    expect(store.state()).toMatchObject({ kind: 'editing', saved: 'Saved.' });
  });

  it('deleted elsewhere keeps the text and can add it again; deleting a task already gone counts as deleted', () => {
    const { store, http, events, open } = setup();
    open();
    store.form.controls.title.setValue('Keep this');
    events.emit(deletedEvent('t1', 4));
    expect(kind(store)).toBe('deletedElsewhere');
    expect(store.form.controls.title.value).toBe('Keep this');
    store.recreate();
    expect(kind(store)).toBe('recreating');
    const create = http.expectOne(API);
    expect(create.request.body.title).toBe('Keep this');
    expect(create.request.headers.get('Idempotency-Key')).toBeTruthy();
    create.flush({ ...TASK, id: 't2', title: 'Keep this', version: 1 });
    expect(store.state()).toMatchObject({ kind: 'editing', notice: 'Added again as a new task.' });

    store.remove();
    expect(kind(store)).toBe('deleting');
    http
      .expectOne(`${API}/t2`)
      .flush({ error: { code: 403, message: 'gone' } }, { status: 403, statusText: 'Forbidden' });
    expect(kind(store)).toBe('deleted');
    expect(TestBed.inject(Toasts).current()?.message).toContain('Deleted');
  });

  it('a delete refused with 412 shows the newer version and says why', () => {
    const { store, http, open } = setup();
    open();
    store.remove();
    http
      .expectOne(`${API}/t1`)
      .flush(
        { error: { code: 412, message: 'changed', current: { ...TASK, title: 'Newer', version: 4 } } },
        { status: 412, statusText: 'Precondition Failed' },
      );
    expect(store.state()).toMatchObject({ kind: 'editing', task: { title: 'Newer' } });
  });
});
