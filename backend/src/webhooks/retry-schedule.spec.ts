import { DELIVERY_WINDOW_MS, MAX_RETRY_DELAY_MS, nextAttemptAt } from './retry-schedule.js';

describe('nextAttemptAt', () => {
  const created = new Date('2027-01-01T00:00:00Z');
  const at = (ms: number) => new Date(created.getTime() + ms);

  it('doubles from the base: 30 s, 60 s, 120 s…', () => {
    expect(nextAttemptAt(1, 30, created, created, 0)).toEqual(at(30_000));
    expect(nextAttemptAt(2, 30, created, at(30_000), 0)).toEqual(at(90_000));
    expect(nextAttemptAt(3, 30, created, at(90_000), 0)).toEqual(at(210_000));
  });

  it('adds at most 10 % at random, never less', () => {
    expect(nextAttemptAt(1, 30, created, created, 1)).toEqual(at(33_000));
  });

  it('waits at most four hours between attempts', () => {
    expect(nextAttemptAt(20, 30, created, created, 0)).toEqual(at(MAX_RETRY_DELAY_MS));
  });

  it('keeps to the 24-hour window and gives up after it', () => {
    const late = at(DELIVERY_WINDOW_MS - 60_000);
    expect(nextAttemptAt(12, 30, created, late, 0)).toEqual(at(DELIVERY_WINDOW_MS));
    expect(nextAttemptAt(13, 30, created, at(DELIVERY_WINDOW_MS), 0)).toBeUndefined();
  });

  it('runs at 1 s in tests: 1, 2, 4 s', () => {
    expect(nextAttemptAt(1, 1, created, created, 0)).toEqual(at(1000));
    expect(nextAttemptAt(3, 1, created, created, 0)).toEqual(at(4000));
  });
});
