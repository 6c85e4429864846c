import { DestroyRef, Injectable, inject, signal } from '@angular/core';
import { Observable } from 'rxjs';

/** How long a toast stays, and so how long its Undo is offered. */
export const TOAST_MS = 5_000;

export interface ToastInput {
  message: string;
  /** Puts things back; the toast offers "Undo" while it shows. */
  undo?: () => Observable<unknown>;
  /** Where focus goes after Undo, since the control that was clicked may be gone. */
  afterUndo?: () => void;
}

export interface Toast extends ToastInput {
  id: number;
  /** Undo is under way: the button is disabled, the toast stays. */
  undoing: boolean;
  /** Undo was used and worked: the toast says so, and nothing may change that. */
  undone: boolean;
  error: string | null;
}

/**
 * One toast at a time, at the bottom of the screen, announced by its aria-live host. A new
 * one replaces the old (whose undo is then no longer offered: the user has moved on).
 */
@Injectable({ providedIn: 'root' })
export class Toasts {
  private readonly state = signal<Toast | null>(null);
  private timer: ReturnType<typeof setTimeout> | undefined;
  private nextId = 0;
  readonly current = this.state.asReadonly();

  constructor() {
    inject(DestroyRef).onDestroy(() => clearTimeout(this.timer));
  }

  /** Returns the toast's id, for amend(). */
  show(input: ToastInput): number {
    clearTimeout(this.timer);
    const id = ++this.nextId;
    this.state.set({ ...input, id, undoing: false, undone: false, error: null });
    this.arm();
    return id;
  }

  /**
   * Adds to what a toast says (a detail known only later), while it is still the one shown
   * and its Undo has not been used: an undo under way or done keeps its own message and its
   * callback, and the time left to undo is not reset.
   */
  amend(id: number, message: string): void {
    const toast = this.state();
    if (toast?.id !== id || toast.undoing || toast.undone) return;
    this.state.set({ ...toast, message });
  }

  dismiss(): void {
    clearTimeout(this.timer);
    this.state.set(null);
  }

  /** Pauses the timer while the pointer or focus is on the toast, so Undo stays reachable. */
  hold(): void {
    clearTimeout(this.timer);
  }

  release(): void {
    if (this.state() && !this.state()!.undoing) this.arm();
  }

  undo(): void {
    const toast = this.state();
    if (!toast?.undo || toast.undoing) return;
    clearTimeout(this.timer);
    this.state.set({ ...toast, undoing: true, error: null });
    toast.undo().subscribe({
      complete: () => {
        if (this.state()?.id !== toast.id) return;
        this.state.set({ ...toast, undo: undefined, undoing: false, undone: true, message: 'Undone.' });
        toast.afterUndo?.();
        this.arm();
      },
      error: () => {
        if (this.state()?.id !== toast.id) return;
        this.state.set({ ...toast, undoing: false, error: 'Could not undo. Try again.' });
        this.arm();
      },
    });
  }

  private arm(): void {
    const id = this.state()?.id;
    this.timer = setTimeout(() => {
      if (this.state()?.id === id) this.state.set(null);
    }, TOAST_MS);
  }
}
