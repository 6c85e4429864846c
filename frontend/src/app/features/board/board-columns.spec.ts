import { makeTask } from '../../../testing/factories';
import { compareCards, groupByStatus, neighbourStatus } from './board-columns';

describe('groupByStatus', () => {
  it('puts each task in its status column, in position order then by title', () => {
    const groups = groupByStatus([
      makeTask({ id: 'a', title: 'Write', status: 'todo', position: 2048 }),
      makeTask({ id: 'b', title: 'Plan', status: 'todo', position: 1024 }),
      makeTask({ id: 'c', title: 'bake', status: 'in-progress', position: 5 }),
      makeTask({ id: 'd', title: 'Apply', status: 'in-progress', position: 5 }),
      makeTask({ id: 'e', title: 'Ship', status: 'done', position: 1 }),
      makeTask({ id: 'f', title: 'Task 10', status: 'todo', position: 4096 }),
      makeTask({ id: 'g', title: 'Task 9', status: 'todo', position: 4096 }),
    ]);
    expect(groups.todo.map((t) => t.id)).toEqual(['b', 'a', 'g', 'f']);
    expect(groups['in-progress'].map((t) => t.id)).toEqual(['d', 'c']);
    expect(groups.done.map((t) => t.id)).toEqual(['e']);
  });

  it('keeps equal cards in a stable order by id', () => {
    const a = makeTask({ id: 'a', title: 'Same', position: 1 });
    const b = makeTask({ id: 'b', title: 'Same', position: 1 });
    expect(compareCards(a, b)).toBeLessThan(0);
    expect(compareCards(b, a)).toBeGreaterThan(0);
    expect(compareCards(a, a)).toBe(0);
  });

  it('has every column even when empty', () => {
    expect(groupByStatus([])).toEqual({ todo: [], 'in-progress': [], done: [] });
  });
});

describe('neighbourStatus', () => {
  it('steps between the columns and stops at both ends', () => {
    expect(neighbourStatus('todo', 1)).toBe('in-progress');
    expect(neighbourStatus('in-progress', 1)).toBe('done');
    expect(neighbourStatus('done', 1)).toBeNull();
    expect(neighbourStatus('done', -1)).toBe('in-progress');
    expect(neighbourStatus('todo', -1)).toBeNull();
  });
});
