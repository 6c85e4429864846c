import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { makeTask } from '../../../testing/factories';
import { FakeTaskEvents, provideFakeTaskEvents } from '../../../testing/fake-task-events';
import { API_BASE_URL } from '../../core/api-base-url';
import { TaskChangeEvent } from '../../core/api-models';
import { errorInterceptor } from '../../core/http-interceptors';
import { Toasts } from '../../core/toasts';
import { CHANGED_ELSEWHERE, TaskActions } from './task-actions';

const API = `${location.origin}/api`;

function setup() {
  TestBed.configureTestingModule({
    providers: [
      provideRouter([]),
      provideHttpClient(withInterceptors([errorInterceptor])),
      provideHttpClientTesting(),
      { provide: API_BASE_URL, useValue: location.origin },
      provideFakeTaskEvents(),
    ],
  });
  const seen: TaskChangeEvent[] = [];
  TestBed.inject(FakeTaskEvents).changes$.subscribe((c) => seen.push(c));
  return {
    actions: TestBed.inject(TaskActions),
    toasts: TestBed.inject(Toasts),
    http: TestBed.inject(HttpTestingController),
    seen,
  };
}

describe('TaskActions', () => {
  it('completes in one call; Undo reopens with the new version; a repeating task names its next date', () => {
    const { actions, toasts, http, seen } = setup();
    const task = makeTask({ id: 'w', title: 'Water', due_date: '2027-03-10', recurrence: { rrule: 'FREQ=DAILY', from: 'due' } });
    actions.toggleDone(task).subscribe();
    const patch = http.expectOne(`${API}/tasks/w`);
    expect(patch.request.body).toEqual({ status: 'done' });
    patch.flush({ ...task, status: 'done', version: 2, next_occurrence_id: 'w2' });
    expect(seen.map((c) => c.type)).toEqual(['task.updated']);
    http.expectOne(`${API}/tasks/w2`).flush({ ...task, id: 'w2', due_date: '2027-03-11' });
    expect(toasts.current()?.message).toMatch(/^Completed “Water”\. Next: Mar 11/);

    toasts.undo();
    const reopen = http.expectOne(`${API}/tasks/w`);
    expect(reopen.request.body).toEqual({ status: 'todo' });
    expect(reopen.request.headers.get('If-Match')).toBe('"2"');
    reopen.flush({ ...task, version: 3 });
    expect(toasts.current()?.message).toBe('Undone.');
  });

  it('an Undo made before the next occurrence is known finishes, hands focus back and does not draw that occurrence again', () => {
    const { actions, toasts, http, seen } = setup();
    const afterUndo = vi.fn();
    const task = makeTask({ id: 'w', title: 'Water', due_date: '2027-03-10', recurrence: { rrule: 'FREQ=DAILY', from: 'due' } });
    actions.toggleDone(task, afterUndo).subscribe();
    http.expectOne(`${API}/tasks/w`).flush({ ...task, status: 'done', version: 2, next_occurrence_id: 'w2' });
    const next = http.expectOne(`${API}/tasks/w2`);
    toasts.undo();
    const reopen = http.expectOne((r) => r.method === 'PATCH' && r.url === `${API}/tasks/w`);
    // The read of the next occurrence answers while the undo is on its way, then the undo.
    next.flush({ ...task, id: 'w2', due_date: '2027-03-11' });
    reopen.flush({ ...task, version: 3 });
    expect(toasts.current()?.message).toBe('Undone.');
    expect(afterUndo).toHaveBeenCalledTimes(1);
    expect(seen.some((c) => c.type !== 'task.deleted' && 'task' in c && (c as { task: { id: string } }).task.id === 'w2')).toBe(false);
  });

  it('a stale complete applies nothing, shows the latest version and says why on the row', () => {
    const { actions, http, seen } = setup();
    const task = makeTask({ id: 's', version: 1 });
    actions.toggleDone(task).subscribe();
    http
      .expectOne(`${API}/tasks/s`)
      .flush(
        { error: { code: 412, message: 'x', current: { ...task, title: 'Newer', version: 2 } } },
        { status: 412, statusText: 'Precondition Failed' },
      );
    expect((seen[0] as { task: { title: string } }).task.title).toBe('Newer');
    expect(actions.rowMessages()['s']?.text).toBe(
      `${CHANGED_ELSEWHERE} your change was not applied. It now shows the latest version.`,
    );
  });

  it('a board or calendar change is one If-Match write; the toast undoes it, or says why nothing changed', () => {
    const { actions, toasts, http } = setup();
    const task = makeTask({ id: 'b', title: 'Book the hall', due_date: '2027-03-10', version: 4 });
    actions.changeInLayout(task, { due_date: '2027-03-17' }, 'Rescheduled “Book the hall” to Mar 17.').subscribe();
    const patch = http.expectOne(`${API}/tasks/b`);
    expect(patch.request.body).toEqual({ due_date: '2027-03-17' });
    expect(patch.request.headers.get('If-Match')).toBe('"4"');
    patch.flush({ ...task, due_date: '2027-03-17', version: 5 });
    expect(toasts.current()?.message).toBe('Rescheduled “Book the hall” to Mar 17.');
    toasts.undo();
    const undo = http.expectOne(`${API}/tasks/b`);
    expect(undo.request.body).toEqual({ due_date: '2027-03-10' });
    expect(undo.request.headers.get('If-Match')).toBe('"5"');
    undo.flush({ ...task, version: 6 });

    actions.changeInLayout(task, { status: 'done' }, '“Book the hall” is now Done.').subscribe();
    http
      .expectOne(`${API}/tasks/b`)
      .flush(
        { error: { code: 412, message: 'x', current: { ...task, version: 6 } } },
        { status: 412, statusText: 'Precondition Failed' },
      );
    expect(toasts.current()?.message).toBe(`${CHANGED_ELSEWHERE} your change was not applied. It now shows the latest version.`);
    expect(toasts.current()?.undo).toBeUndefined();
    expect(actions.rowMessages()['b']).toBeUndefined();
  });

  it('deleting a task another device deleted already is done, and leaves every view', () => {
    const { actions, http, seen } = setup();
    actions.remove(makeTask({ id: 'g' })).subscribe();
    http.expectOne(`${API}/tasks/g`).flush({ error: { code: 404, message: 'gone' } }, { status: 404, statusText: 'Not Found' });
    expect(seen.map((c) => [c.type, c.task_id])).toEqual([['task.deleted', 'g']]);
  });

  it('undo of a bulk edit is the inverse: each previous value back in one call per value', () => {
    const { actions, toasts, http } = setup();
    const tasks = [
      makeTask({ id: 'a', priority: null, tags: ['home'] }),
      makeTask({ id: 'b', priority: 'low', tags: [] }),
      makeTask({ id: 'c', priority: 'low', tags: ['Home'] }),
    ];
    actions.bulk(tasks, { set: { priority: 'high' }, add_tags: ['home'] }, 'Changed 3 tasks.').subscribe();
    const edit = http.expectOne(`${API}/tasks/bulk`);
    expect(edit.request.body).toEqual({ ids: ['a', 'b', 'c'], set: { priority: 'high' }, add_tags: ['home'] });
    edit.flush({ tasks });
    toasts.undo();
    const first = http.expectOne(`${API}/tasks/bulk`);
    expect(first.request.body).toEqual({ ids: ['a'], set: { priority: null } });
    first.flush({ tasks: [] });
    const second = http.expectOne(`${API}/tasks/bulk`);
    expect(second.request.body).toEqual({ ids: ['b', 'c'], set: { priority: 'low' } });
    second.flush({ tasks: [] });
    // Only the task that did not have the tag loses it again.
    const third = http.expectOne(`${API}/tasks/bulk`);
    expect(third.request.body).toEqual({ ids: ['b'], remove_tags: ['home'] });
    third.flush({ tasks: [] });
    expect(toasts.current()?.message).toBe('Undone.');
  });

  it('undo of a bulk delete restores each task from the trash', () => {
    const { actions, toasts, http, seen } = setup();
    actions.bulkDelete([makeTask({ id: 'a' }), makeTask({ id: 'b' })]).subscribe();
    http.expectOne(`${API}/tasks/bulk-delete`).flush({ deleted: 2 });
    expect(toasts.current()?.message).toBe('Deleted 2 tasks.');
    toasts.undo();
    http.expectOne(`${API}/trash/a/restore`).flush(makeTask({ id: 'a', version: 3 }));
    http.expectOne(`${API}/trash/b/restore`).flush(makeTask({ id: 'b', version: 3 }));
    expect(seen.map((c) => c.type)).toEqual(['task.deleted', 'task.deleted', 'task.updated', 'task.updated']);
  });
});
