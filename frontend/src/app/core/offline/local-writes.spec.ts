import { makeTask } from '../../../testing/factories';
import { Project, Task, TrashedTask } from '../api-models';
import {
  LocalCopy,
  bulkLocally,
  createLocally,
  localVersion,
  mergeFill,
  mergeRemote,
  restoreLocally,
  serverVersion,
  trashLocally,
  updateLocally,
} from './local-writes';

const NOW = '2026-03-01T10:00:00.000Z';
const inbox = { id: 'inbox-1', is_inbox: true, parent_id: null } as Project;
const garden = { id: 'garden', is_inbox: false, parent_id: null } as Project;

function copyOf(tasks: Task[], trash: TrashedTask[] = []): LocalCopy {
  return {
    userId: 'u1',
    tasks: new Map(tasks.map((t) => [t.id, t])),
    trash: new Map(trash.map((t) => [t.id, t])),
    projects: [inbox, garden],
  };
}

describe('local versions', () => {
  it('sit above the version a change was made on and below the server’s next', () => {
    expect(localVersion(5)).toBeGreaterThan(5);
    expect(localVersion(localVersion(5))).toBeLessThan(6);
    expect(serverVersion(localVersion(localVersion(5)))).toBe(5);
  });
});

describe('createLocally', () => {
  it('puts a new task last in the Inbox, as the API would', () => {
    const { task } = createLocally(copyOf([makeTask({ id: 'a', position: 2048 })]), { title: 'New' }, 'tmp', NOW);
    expect(task).toMatchObject({ id: 'tmp', project_id: 'inbox-1', parent_id: null, position: 3072, status: 'todo', version: 1, tags: [] });
  });

  it('a subtask lives in its parent’s project, and the parent counts it', () => {
    const parent = makeTask({ id: 'p', project_id: 'garden' });
    const { task, delta } = createLocally(copyOf([parent]), { title: 'Child', parent_id: 'p' }, 'tmp', NOW);
    expect(task).toMatchObject({ parent_id: 'p', project_id: 'garden', position: 1024 });
    expect(delta.put.find((t) => t.id === 'p')).toMatchObject({ subtask_count: 1, subtask_done_count: 0 });
  });
});

describe('updateLocally', () => {
  it('applies the change with a local version, clearing the time with the date', () => {
    const task = makeTask({ id: 'a', version: 3, due_date: '2026-03-02', due_time: '09:00' });
    const { task: updated } = updateLocally(copyOf([task]), task, { title: 'Renamed', due_date: null }, NOW);
    expect(updated).toMatchObject({ title: 'Renamed', due_date: null, due_time: null, updated_at: NOW });
    expect(serverVersion(updated.version)).toBe(3);
    expect(updated.version).toBeGreaterThan(3);
  });

  it('a move to another project takes the subtasks along and goes last there', () => {
    const parent = makeTask({ id: 'p', subtask_count: 1 });
    const child = makeTask({ id: 'c', parent_id: 'p' });
    const there = makeTask({ id: 'g', project_id: 'garden', position: 4096 });
    const { task, delta } = updateLocally(copyOf([parent, child, there]), parent, { project_id: 'garden' }, NOW);
    expect(task).toMatchObject({ project_id: 'garden', position: 5120 });
    expect(delta.put.find((t) => t.id === 'c')?.project_id).toBe('garden');
  });

  it('completing a subtask updates its parent’s count', () => {
    const parent = makeTask({ id: 'p', subtask_count: 1 });
    const child = makeTask({ id: 'c', parent_id: 'p' });
    const { delta } = updateLocally(copyOf([parent, child]), child, { status: 'done' }, NOW);
    expect(delta.put.find((t) => t.id === 'p')?.subtask_done_count).toBe(1);
  });
});

describe('bulkLocally', () => {
  it('sets fields and adds or removes tags without regard to case', () => {
    const a = makeTask({ id: 'a', tags: ['Home'] });
    const b = makeTask({ id: 'b', tags: [] });
    const { tasks } = bulkLocally(copyOf([a, b]), { ids: ['a', 'b'], set: { priority: 'high' }, add_tags: ['home'], remove_tags: [] }, NOW);
    expect(tasks.map((t) => [t.priority, t.tags])).toEqual([
      ['high', ['Home']],
      ['high', ['home']],
    ]);
    const { tasks: removed } = bulkLocally(copyOf([a]), { ids: ['a'], remove_tags: ['HOME'] }, NOW);
    expect(removed[0].tags).toEqual([]);
  });
});

describe('trash and restore', () => {
  it('a deleted task takes its subtasks to the trash, and comes back with them', () => {
    const parent = makeTask({ id: 'p', subtask_count: 1 });
    const child = makeTask({ id: 'c', parent_id: 'p' });
    const delta = trashLocally(copyOf([parent, child]), ['p'], NOW);
    expect(delta.remove.sort()).toEqual(['c', 'p']);
    expect(delta.trash.map((t) => t.deleted_at)).toEqual([NOW, NOW]);
    const restored = restoreLocally(copyOf([], delta.trash), 'p', NOW)!;
    expect(restored.task.id).toBe('p');
    expect(restored.delta.untrash.sort()).toEqual(['c', 'p']);
    expect(restored.delta.put.map((t) => t.id).sort()).toEqual(['c', 'p']);
  });

  it('restoring a task that is not in the local trash says so', () => {
    expect(restoreLocally(copyOf([]), 'nope', NOW)).toBeNull();
  });
});

describe('merge rules', () => {
  const local = makeTask({ id: 'a', title: 'Mine', version: localVersion(3) });
  const remote = makeTask({ id: 'a', title: 'Theirs', version: 4 });

  it('a task with changes waiting keeps them over the server’s copy', () => {
    expect(mergeRemote(local, remote, new Set(['a']))).toBe(local);
  });

  it('otherwise the newer version wins, and the server’s next beats any local one', () => {
    expect(mergeRemote(local, remote, new Set())).toBe(remote);
    expect(mergeRemote(remote, makeTask({ id: 'a', version: 2 }), new Set())).toBe(remote);
    expect(mergeRemote(undefined, remote, new Set())).toBe(remote);
  });

  it('a full read keeps tasks made here and not yet sent, and drops what the server no longer has', () => {
    const made = makeTask({ id: 'tmp' });
    const stale = makeTask({ id: 'gone' });
    const out = mergeFill(new Map([made, stale, local].map((t) => [t.id, t])), [remote], new Set(['tmp', 'a']));
    expect([...out.keys()].sort()).toEqual(['a', 'tmp']);
    expect(out.get('a')).toBe(local);
  });
});
