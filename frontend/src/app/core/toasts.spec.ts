import { TestBed } from '@angular/core/testing';
import { Subject, of, throwError } from 'rxjs';
import { TOAST_MS, Toasts } from './toasts';

describe('Toasts', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('shows one toast for five seconds; a new one replaces it', () => {
    const toasts = TestBed.inject(Toasts);
    toasts.show({ message: 'One' });
    toasts.show({ message: 'Two' });
    expect(toasts.current()?.message).toBe('Two');
    vi.advanceTimersByTime(TOAST_MS - 1);
    expect(toasts.current()?.message).toBe('Two');
    vi.advanceTimersByTime(1);
    expect(toasts.current()).toBeNull();
  });

  it('undo runs the inverse once, says so, and then calls back for focus', () => {
    const toasts = TestBed.inject(Toasts);
    const inverse = new Subject<void>();
    const undo = vi.fn(() => inverse);
    const afterUndo = vi.fn();
    toasts.show({ message: 'Completed', undo, afterUndo });
    toasts.undo();
    toasts.undo();
    expect(undo).toHaveBeenCalledTimes(1);
    expect(toasts.current()?.undoing).toBe(true);
    // While undoing, the toast does not time out.
    vi.advanceTimersByTime(TOAST_MS * 2);
    expect(toasts.current()).not.toBeNull();
    inverse.complete();
    expect(toasts.current()?.message).toBe('Undone.');
    expect(toasts.current()?.undo).toBeUndefined();
    expect(afterUndo).toHaveBeenCalled();
  });

  it('a failed undo says so and can be tried again', () => {
    const toasts = TestBed.inject(Toasts);
    let fail = true;
    toasts.show({ message: 'Deleted', undo: () => (fail ? throwError(() => new Error('x')) : of(null)) });
    toasts.undo();
    expect(toasts.current()?.error).toBe('Could not undo. Try again.');
    fail = false;
    toasts.undo();
    expect(toasts.current()?.message).toBe('Undone.');
  });

  it('holds while the pointer or focus is on it', () => {
    const toasts = TestBed.inject(Toasts);
    toasts.show({ message: 'Held' });
    toasts.hold();
    vi.advanceTimersByTime(TOAST_MS * 3);
    expect(toasts.current()?.message).toBe('Held');
    toasts.release();
    vi.advanceTimersByTime(TOAST_MS);
    expect(toasts.current()).toBeNull();
  });

  it('amend changes the message of the toast still shown, unless its Undo is under way or done', () => {
    const toasts = TestBed.inject(Toasts);
    const inverse = new Subject<null>();
    const afterUndo = vi.fn();
    const first = toasts.show({ message: 'Completed', undo: () => inverse, afterUndo });
    toasts.amend(first, 'Completed. Next: Mar 11.');
    expect(toasts.current()?.message).toBe('Completed. Next: Mar 11.');
    toasts.undo();
    toasts.amend(first, 'Completed. Next: Mar 12.');
    expect(toasts.current()?.message).toBe('Completed. Next: Mar 11.');
    inverse.complete();
    // The undo that was under way still finishes, says so and hands focus back.
    expect(toasts.current()?.message).toBe('Undone.');
    expect(afterUndo).toHaveBeenCalledTimes(1);
    toasts.amend(first, 'Completed. Next: Mar 12.');
    expect(toasts.current()?.message).toBe('Undone.');
    // Another toast's id changes nothing.
    const second = toasts.show({ message: 'Deleted' });
    toasts.amend(first, 'Completed. Next: Mar 13.');
    expect(toasts.current()?.message).toBe('Deleted');
    expect(second).not.toBe(first);
  });
});
