import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { AppUpdate } from '../../core/app-update';

/**
 * Says when a new version is ready, with a button to start it; nothing reloads by itself. A
 * polite live region present from the start, so screen readers announce it when it fills; it
 * never takes focus. Above the phone's floating button and the task panel. Tailwind classes
 * only: the Content-Security-Policy (style-src 'self') blocks component styles.
 */
@Component({
  selector: 'app-update-banner',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: {
    role: 'status',
    class: 'pointer-events-none fixed inset-x-0 top-14 z-50 flex justify-center px-4 sm:inset-x-auto sm:top-auto sm:right-4 sm:bottom-4',
  },
  template: `
    @let status = update.status();
    @if (status !== 'current') {
      <div
        class="pointer-events-auto flex max-w-md items-center gap-3 rounded-lg border border-indigo-200 bg-white px-4 py-3 text-sm text-slate-900 shadow-lg dark:border-indigo-800 dark:bg-slate-900 dark:text-slate-100"
        data-testid="update-banner"
      >
        @if (status === 'ready') {
          <p>A new version is ready.</p>
          <button type="button" class="btn-primary touch-target shrink-0" (click)="update.reload()">Reload to update</button>
        } @else {
          <p>This version of the app can no longer load all its pages. Reload to get the current one.</p>
          <button type="button" class="btn-primary touch-target shrink-0" (click)="update.reload()">Reload</button>
        }
      </div>
    }
  `,
})
export class UpdateBanner {
  protected readonly update = inject(AppUpdate);
}
