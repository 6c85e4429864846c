import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { errorMessage } from '../../core/api-error';
import { TrashedTask } from '../../core/api-models';
import { upsertChange } from '../../core/task-changes';
import { TaskEvents } from '../../core/task-events';
import { Toasts } from '../../core/toasts';
import { TrashApi } from '../../core/trash-api';
import { ConfirmDialog } from '../../shared/ui/confirm-dialog';

/** What the user deleted in the last 30 days: restore it, delete it for good, or empty it all. */
@Component({
  selector: 'app-trash-page',
  imports: [ConfirmDialog],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="flex flex-wrap items-center justify-between gap-2">
      <h1 tabindex="-1" class="text-2xl font-semibold outline-none">Trash</h1>
      @if (tasks().length) {
        <button type="button" class="btn-danger" (click)="confirming.set('empty')">Empty trash</button>
      }
    </div>
    <p class="mt-1 text-sm text-slate-600 dark:text-slate-400">
      Deleted tasks stay here for 30 days, with their subtasks, then go for good.
    </p>
    @if (error(); as message) {
      <p class="alert-error mt-4" role="alert">{{ message }}</p>
    }
    @if (!loaded()) {
      <p class="mt-6" role="status">Loading…</p>
    } @else if (!tasks().length) {
      <p class="mt-6 text-center text-slate-700 dark:text-slate-300" data-testid="empty-state">The trash is empty.</p>
    } @else {
      <ul class="mt-4 divide-y divide-slate-200 dark:divide-slate-800" aria-label="Deleted tasks">
        @for (task of tasks(); track task.id) {
          <li class="flex flex-wrap items-center gap-2 py-2" data-testid="trash-row">
            <div class="min-w-0 flex-1">
              <p class="break-words">{{ task.title }}</p>
              <p class="text-xs text-slate-600 dark:text-slate-400">Deleted {{ when(task.deleted_at) }}</p>
            </div>
            <button type="button" class="btn-secondary" [attr.aria-label]="'Restore ' + task.title" (click)="restore(task)">Restore</button>
            <button type="button" class="btn-secondary" [attr.aria-label]="'Delete for good: ' + task.title" (click)="askPurge(task)">Delete for good</button>
          </li>
        }
      </ul>
    }
    <app-confirm-dialog
      [heading]="confirming() === 'empty' ? 'Empty the trash?' : 'Delete for good?'"
      [open]="confirming() !== null"
      [message]="confirming() === 'empty' ? 'Every task in the trash will be deleted for good. This cannot be undone.' : '“' + (target()?.title ?? '') + '” will be deleted for good. This cannot be undone.'"
      [confirmLabel]="confirming() === 'empty' ? 'Empty trash' : 'Delete for good'"
      [busy]="busy()"
      (confirmed)="confirm()"
      (cancelled)="confirming.set(null)"
    />
  `,
})
export class TrashPage {
  private readonly api = inject(TrashApi);
  private readonly events = inject(TaskEvents);
  private readonly toasts = inject(Toasts);
  protected readonly tasks = signal<TrashedTask[]>([]);
  protected readonly loaded = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly busy = signal(false);
  protected readonly confirming = signal<'empty' | 'purge' | null>(null);
  protected readonly target = signal<TrashedTask | null>(null);

  constructor() {
    this.load();
  }

  protected when(iso: string): string {
    return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  }

  protected restore(task: TrashedTask): void {
    this.api.restore(task.id).subscribe({
      next: (restored) => {
        this.events.announce({ ...upsertChange(restored), type: 'task.created' });
        this.tasks.update((list) => list.filter((t) => t.id !== task.id));
        this.toasts.show({ message: `Restored “${task.title}”.` });
        this.focusList();
      },
      error: (error: unknown) => this.error.set(errorMessage(error)),
    });
  }

  protected askPurge(task: TrashedTask): void {
    this.target.set(task);
    this.confirming.set('purge');
  }

  protected confirm(): void {
    const mode = this.confirming();
    const task = this.target();
    this.busy.set(true);
    const call = mode === 'empty' ? this.api.empty() : this.api.purge(task!.id);
    call.subscribe({
      next: () => {
        this.busy.set(false);
        this.confirming.set(null);
        if (mode === 'empty') this.tasks.set([]);
        else this.tasks.update((list) => list.filter((t) => t.id !== task!.id));
        this.focusList();
      },
      error: (error: unknown) => {
        this.busy.set(false);
        this.confirming.set(null);
        this.error.set(errorMessage(error));
      },
    });
  }

  private load(): void {
    this.api.list().subscribe({
      next: ({ tasks }) => {
        this.tasks.set(tasks);
        this.loaded.set(true);
      },
      error: (error: unknown) => {
        this.loaded.set(true);
        this.error.set(errorMessage(error));
      },
    });
  }

  /** The row acted on is gone: focus the next restore button, else the heading. */
  private focusList(): void {
    setTimeout(() =>
      (document.querySelector<HTMLElement>('[data-testid=trash-row] button') ?? document.querySelector<HTMLElement>('#main h1'))?.focus(),
    );
  }
}
