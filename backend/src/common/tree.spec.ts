import { placementProblem } from './tree.js';

describe('placementProblem', () => {
  const place = (parentChain: string[], subtreeHeight = 1, maxDepth = 4) => placementProblem({ id: 'x', parentChain, subtreeHeight, maxDepth });

  it('allows top level and any depth up to the limit', () => {
    expect(place([])).toBeUndefined();
    expect(place(['a'])).toBeUndefined();
    expect(place(['c', 'b', 'a'])).toBeUndefined();
  });

  it('refuses a fifth level of tasks, counting the subtree that moves along', () => {
    expect(place(['d', 'c', 'b', 'a'])).toBe('too-deep');
    expect(place(['b', 'a'], 3)).toBe('too-deep');
    expect(place(['b', 'a'], 2)).toBeUndefined();
  });

  it('refuses a fourth level of projects', () => {
    expect(place(['b', 'a'], 1, 3)).toBeUndefined();
    expect(place(['c', 'b', 'a'], 1, 3)).toBe('too-deep');
  });

  it('refuses placing a node under itself or its descendants', () => {
    expect(place(['x'])).toBe('cycle');
    expect(place(['child', 'x', 'a'])).toBe('cycle');
  });
});
