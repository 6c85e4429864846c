import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { RouterLink } from '@angular/router';
import { OfflineSync } from '../../core/offline/offline';

function changes(n: number): string {
  return `${n} change${n === 1 ? '' : 's'} waiting`;
}

/**
 * Whether the app works from the device's copy, and how many changes wait to be sent; and
 * what the user must decide about a change the server could not take.
 */
@Component({
  selector: 'app-offline-status',
  imports: [RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'block' },
  template: `
    <!-- A live region present before it fills, so screen readers announce the change. -->
    <div role="status" data-testid="offline-status">
      @if (text(); as text) {
        <p
          class="mb-3 inline-flex items-center gap-2 rounded-full border border-slate-300 bg-slate-100 px-3 py-1 text-sm text-slate-800 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-100"
        >
          <span class="size-2 rounded-full" [class]="dot()" aria-hidden="true"></span>{{ text }}
        </p>
      }
    </div>
    @if (sync.problem(); as problem) {
      <div
        class="mb-3 rounded-lg border border-amber-400 bg-amber-50 p-3 text-sm text-amber-950 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-50"
        role="alert"
        data-testid="offline-problem"
      >
        @if (problem.kind === 'conflict') {
          <p>{{ problem.label }}: the task changed on another device meanwhile. Choose which version to keep; the other changes wait until you do.</p>
          <a class="btn-secondary mt-2 inline-block" [routerLink]="[]" [queryParams]="{ task: problem.taskId }" queryParamsHandling="merge">Choose</a>
        } @else if (problem.kind === 'gone') {
          <p>{{ problem.label }}: the task was deleted on another device, so your change was not applied.</p>
          <div class="mt-2 flex flex-wrap gap-2">
            <button type="button" class="btn-primary" (click)="sync.restoreGone()">Restore it and apply my change</button>
            <button type="button" class="btn-secondary" (click)="sync.dropGone()">Drop my change</button>
          </div>
        } @else {
          <p>{{ problem.label }} could not be saved: {{ problem.message }}</p>
          <button type="button" class="btn-secondary mt-2" (click)="sync.dismissProblem()">Dismiss</button>
        }
      </div>
    }
  `,
})
export class OfflineStatus {
  protected readonly sync = inject(OfflineSync);
  protected readonly text = computed(() => {
    const pending = this.sync.pending();
    if (this.sync.offline()) return `Offline — ${changes(pending)}`;
    // Held by a question only the user can answer (below): not "syncing", which would never end.
    const kind = this.sync.problem()?.kind;
    if (pending > 0 && (kind === 'conflict' || kind === 'gone')) return `Paused for your choice — ${changes(pending)}`;
    if (pending > 0 || this.sync.syncing()) return `Syncing… ${changes(pending)}`;
    return null;
  });
  protected readonly dot = computed(() => (this.sync.offline() ? 'bg-amber-500' : 'bg-indigo-500'));
}
