import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { Toasts } from '../../core/toasts';

/**
 * Where toasts show: a polite live region present from the start, so screen readers announce
 * each message; Undo is a real button, reachable by Tab, and the toast waits while it has focus.
 */
@Component({
  selector: 'app-toast-host',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'pointer-events-none fixed inset-x-0 bottom-4 z-40 flex justify-center px-4' },
  template: `
    <div role="status" aria-live="polite" aria-atomic="true" class="pointer-events-auto">
      @if (toasts.current(); as toast) {
        <div
          class="flex max-w-xl items-center gap-3 rounded-lg bg-slate-900 px-4 py-2 text-sm text-white shadow-lg dark:bg-slate-100 dark:text-slate-900"
          data-testid="toast"
          (mouseenter)="toasts.hold()"
          (mouseleave)="toasts.release()"
          (focusin)="toasts.hold()"
          (focusout)="toasts.release()"
        >
          <span>{{ toast.error ?? toast.message }}</span>
          @if (toast.undo) {
            <button
              type="button"
              class="touch-target-sm rounded px-2 font-semibold text-indigo-300 underline-offset-2 hover:underline dark:text-indigo-800"
              [disabled]="toast.undoing"
              (click)="toasts.undo()"
            >
              Undo
            </button>
          }
          <button
            type="button"
            class="touch-target-sm rounded px-1 text-slate-300 dark:text-slate-700"
            aria-label="Dismiss"
            (click)="toasts.dismiss()"
          >
            <span aria-hidden="true">×</span>
          </button>
        </div>
      }
    </div>
  `,
})
export class ToastHost {
  protected readonly toasts = inject(Toasts);
}
