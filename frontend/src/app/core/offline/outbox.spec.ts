import { makeTask } from '../../../testing/factories';
import { OutboxEntry, alreadyApplied, outcomeOf, pendingIds, rewriteAfterAck } from './outbox';

const patch = (overrides: Partial<OutboxEntry> = {}): OutboxEntry => ({
  seq: 2,
  method: 'PATCH',
  path: '/api/tasks/t1',
  body: { title: 'Mine' },
  ifMatch: 3,
  taskIds: ['t1'],
  label: 'Change “A task”',
  ...overrides,
});

describe('outcomeOf', () => {
  it('keeps the entry and stops on a network failure, a server error or a lapsed session', () => {
    for (const status of [0, 401, 408, 429, 500, 502, 503, 504]) {
      expect(outcomeOf(patch(), { status, message: '', current: null }).kind, String(status)).toBe('retry');
    }
  });

  it('a 412 is a conflict, unless the server already has the change (an answer lost earlier)', () => {
    const theirs = makeTask({ id: 't1', title: 'Theirs', version: 4 });
    expect(outcomeOf(patch(), { status: 412, message: '', current: theirs })).toEqual({ kind: 'conflict', theirs });
    const landed = makeTask({ id: 't1', title: 'Mine', version: 4 });
    expect(outcomeOf(patch(), { status: 412, message: '', current: landed })).toEqual({ kind: 'applied', tasks: [landed] });
  });

  it('a 404 or 403 on an edit means the task was deleted elsewhere; on a delete, that it is done', () => {
    for (const status of [403, 404]) {
      expect(outcomeOf(patch(), { status, message: '', current: null }).kind).toBe('gone');
      expect(outcomeOf(patch({ method: 'DELETE', body: null }), { status, message: '', current: null }).kind).toBe('applied');
    }
  });

  it('any other refusal drops the entry with the server’s reason', () => {
    const outcome = outcomeOf(patch(), { status: 400, message: 'title must be at least 3 characters', current: null });
    expect(outcome).toEqual({ kind: 'rejected', message: 'title must be at least 3 characters', current: null });
    const create: OutboxEntry = { method: 'POST', path: '/api/tasks', body: { title: 'x', parent_id: 'gone' }, taskIds: ['tmp'], tempId: 'tmp', label: 'Add' };
    expect(outcomeOf(create, { status: 404, message: 'parent not found', current: null }).kind).toBe('rejected');
  });
});

describe('alreadyApplied', () => {
  it('compares every changed field, arrays and nulls included', () => {
    const current = makeTask({ tags: ['a', 'b'], due_date: null });
    expect(alreadyApplied(patch({ body: { tags: ['a', 'b'], due_date: null } }), current)).toBe(true);
    expect(alreadyApplied(patch({ body: { tags: ['a'] } }), current)).toBe(false);
  });
});

describe('rewriteAfterAck', () => {
  const create: OutboxEntry = {
    seq: 1,
    method: 'POST',
    path: '/api/tasks',
    body: { title: 'Parent' },
    idempotencyKey: 'k1',
    taskIds: ['tmp-1'],
    tempId: 'tmp-1',
    label: 'Add “Parent”',
  };

  it('replaces a created task’s temporary id everywhere later entries use it', () => {
    const later: OutboxEntry[] = [
      { seq: 2, method: 'POST', path: '/api/tasks', body: { title: 'Child', parent_id: 'tmp-1' }, idempotencyKey: 'k2', taskIds: ['tmp-2'], tempId: 'tmp-2', label: 'Add' },
      patch({ seq: 3, path: '/api/tasks/tmp-1', taskIds: ['tmp-1'], ifMatch: 1 }),
      { seq: 4, method: 'POST', path: '/api/tasks/bulk', body: { ids: ['x', 'tmp-1'], set: { priority: 'high' } }, idempotencyKey: 'k3', taskIds: ['x', 'tmp-1'], label: 'Change 2 tasks' },
    ];
    const real = makeTask({ id: 'real-1', version: 1 });
    const out = rewriteAfterAck(later, create, [real]);
    expect((out[0].body as { parent_id: string }).parent_id).toBe('real-1');
    expect(out[0].tempId).toBe('tmp-2');
    expect(out[1].path).toBe('/api/tasks/real-1');
    expect(out[1].taskIds).toEqual(['real-1']);
    expect((out[2].body as { ids: string[] }).ids).toEqual(['x', 'real-1']);
    // Keys stay what they were when the change was made.
    expect(out.map((e) => e.idempotencyKey)).toEqual(['k2', undefined, 'k3']);
  });

  it('sends later changes of an answered task against the version the server now has', () => {
    const first = patch({ seq: 1, ifMatch: 3 });
    const later = [patch({ seq: 2, ifMatch: 3, body: { status: 'done' } }), patch({ seq: 3, taskIds: ['other'], path: '/api/tasks/other', ifMatch: 7 })];
    const out = rewriteAfterAck(later, first, [makeTask({ id: 't1', version: 4 })]);
    expect(out.map((e) => e.ifMatch)).toEqual([4, 7]);
  });

  it('leaves entries it has nothing to say about untouched', () => {
    const later = [patch({ seq: 2, taskIds: ['other'], path: '/api/tasks/other' })];
    expect(rewriteAfterAck(later, patch({ seq: 1 }), [])[0]).toBe(later[0]);
  });
});

describe('pendingIds', () => {
  it('names every task a waiting entry changes', () => {
    expect([...pendingIds([patch(), patch({ taskIds: ['a', 'b'] })])].sort()).toEqual(['a', 'b', 't1']);
  });
});
