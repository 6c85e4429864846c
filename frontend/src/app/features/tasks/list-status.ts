import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';

/** Loading, failed or empty: what a list says when it has no rows to show. */
@Component({
  selector: 'app-list-status',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'block' },
  template: `
    @if (error(); as message) {
      <div class="alert-error mt-4 flex flex-wrap items-center justify-between gap-2" role="alert">
        <span>Could not load the tasks: {{ message }}</span>
        <button type="button" class="btn-secondary" (click)="retry.emit()">Try again</button>
      </div>
    } @else if (!loaded()) {
      <p class="mt-6 text-slate-600 dark:text-slate-300" role="status">Loading…</p>
    } @else if (empty()) {
      <div class="mt-6 text-center text-slate-700 dark:text-slate-300" data-testid="empty-state">
        <p class="font-medium">{{ emptyTitle() }}</p>
        <p class="mt-1 text-sm">{{ emptyHint() }}</p>
      </div>
    }
  `,
})
export class ListStatus {
  readonly loaded = input(false);
  readonly error = input<string | null>(null);
  readonly empty = input(false);
  readonly emptyTitle = input('Nothing here.');
  readonly emptyHint = input('');
  readonly retry = output<void>();
}
