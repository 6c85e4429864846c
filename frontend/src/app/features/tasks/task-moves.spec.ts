import { makeTask } from '../../../testing/factories';
import { dropAt, indent, isWithin, moveBy, outdent, positionBetween } from './task-moves';

const a = makeTask({ id: 'a', position: 1024 });
const b = makeTask({ id: 'b', position: 2048 });
const b1 = makeTask({ id: 'b1', parent_id: 'b', position: 1024 });
const c = makeTask({ id: 'c', position: 3072 });
const all = [a, b, b1, c];
const items = [
  { task: a, depth: 0 },
  { task: b, depth: 0 },
  { task: b1, depth: 1 },
  { task: c, depth: 0 },
];

describe('manual order', () => {
  it('puts a position between neighbours, or a step past either end', () => {
    expect(positionBetween(1024, 2048)).toBe(1536);
    expect(positionBetween(undefined, 1024)).toBe(0);
    expect(positionBetween(3072, undefined)).toBe(4096);
    expect(positionBetween(undefined, undefined)).toBe(1024);
  });

  it('moves up and down among siblings only (Alt+↑/↓)', () => {
    expect(moveBy(items, c, -1)).toEqual({ position: 1536 });
    expect(moveBy(items, a, 1)).toEqual({ position: 2560 });
    expect(moveBy(items, a, -1)).toBeNull();
    expect(moveBy(items, b1, 1)).toBeNull();
  });

  it('indents under the sibling above, after its subtasks (Alt+→), and outdents after the parent (Alt+←)', () => {
    expect(indent(items, c)).toEqual({ parent_id: 'b', position: 2048 });
    expect(indent(items, a)).toBeNull();
    expect(outdent(items, all, b1)).toEqual({ parent_id: null, position: 2560 });
    expect(outdent(items, all, a)).toBeNull();
  });

  it('a drop lands after the row above, or under it when dragged to the right', () => {
    const rest = items.filter((i) => i.task.id !== 'a');
    // Dropped after c (index 3 of the list without a).
    expect(dropAt(rest, all, a, 3, false)).toEqual({ position: 4096 });
    // Dropped first.
    expect(dropAt(rest, all, a, 0, false)).toEqual({ parent_id: null, position: 1024 });
    // Dropped after b1 without nesting: a sibling of b1.
    expect(dropAt(rest, all, a, 2, false)).toEqual({ position: 2048, parent_id: 'b' });
    // Dragged right under c: c's subtask.
    expect(dropAt(rest, all, a, 3, true)).toEqual({ parent_id: 'c', position: 1024 });
  });

  it('never nests a task under itself or its own subtasks', () => {
    expect(isWithin(all, b1, b)).toBe(true);
    expect(isWithin(all, c, b)).toBe(false);
    // b dragged right onto its own subtask b1: the subtask is skipped, so it nests under a.
    const rest = items.filter((i) => i.task.id !== 'b');
    expect(dropAt(rest, all, b, 2, true)).toEqual({ parent_id: 'a', position: 1024 });
  });
});
