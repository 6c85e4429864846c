import { isUsablePosition, MAX_ABS_POSITION, POSITION_STEP, positionAfter, positionBetween } from './positions.js';

describe('positions', () => {
  it('puts a new item a step after the last, on the grid', () => {
    expect(positionAfter(undefined)).toBe(POSITION_STEP);
    expect(positionAfter(POSITION_STEP)).toBe(2 * POSITION_STEP);
    // After a manual position off the grid, the next is on it again.
    expect(positionAfter(1536)).toBe(2048);
    expect(positionAfter(-5000)).toBe(-4096);
  });

  it('puts an item between two neighbours, or before the first', () => {
    expect(positionBetween(1024, 2048)).toBe(1536);
    expect(positionBetween(undefined, 1024)).toBe(0);
    expect(positionBetween(2048, undefined)).toBe(3072);
    expect(positionBetween(undefined, undefined)).toBe(POSITION_STEP);
  });

  it('halves a gap about fifty times before it runs out, and says so', () => {
    let after = 2048;
    let halvings = 0;
    for (;;) {
      const next = positionBetween(1024, after);
      if (next === undefined) break;
      expect(next).toBeGreaterThan(1024);
      expect(next).toBeLessThan(after);
      after = next;
      halvings++;
    }
    expect(halvings).toBeGreaterThanOrEqual(40);
  });

  it('accepts finite positions within the range a double orders exactly', () => {
    expect(isUsablePosition(0)).toBe(true);
    expect(isUsablePosition(-1.5)).toBe(true);
    expect(isUsablePosition(MAX_ABS_POSITION)).toBe(true);
    expect(isUsablePosition(MAX_ABS_POSITION * 2)).toBe(false);
    expect(isUsablePosition(Number.NaN)).toBe(false);
    expect(isUsablePosition(Number.POSITIVE_INFINITY)).toBe(false);
  });
});
