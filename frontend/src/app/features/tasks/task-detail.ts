import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  computed,
  effect,
  inject,
  input,
  signal,
  untracked,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { Title } from '@angular/platform-browser';
import { Router, RouterLink } from '@angular/router';
import { Subscription } from 'rxjs';
import { ApiError, errorMessage, placeFieldErrors } from '../../core/api-error';
import { Task } from '../../core/api-models';
import { TasksApi } from '../../core/tasks-api';
import { ConfirmDialog } from '../../shared/ui/confirm-dialog';
import { TaskFields } from './task-fields';
import { TaskField, changedFields, createTaskForm, taskToFormValue } from './task-form';
import { STATUS_BADGE, STATUS_LABELS } from './task-labels';

type LoadState =
  | { kind: 'loading' }
  | { kind: 'loaded'; task: Task }
  | { kind: 'unavailable' }
  | { kind: 'error'; message: string };

@Component({
  selector: 'app-task-detail',
  imports: [ReactiveFormsModule, RouterLink, TaskFields, ConfirmDialog],
  templateUrl: './task-detail.html',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TaskDetail {
  private readonly api = inject(TasksApi);
  private readonly router = inject(Router);
  private readonly destroyRef = inject(DestroyRef);
  private readonly title = inject(Title);

  /** The `:id` route parameter. */
  readonly id = input.required<string>();

  protected readonly state = signal<LoadState>({ kind: 'loading' });
  protected readonly task = computed(() => {
    const state = this.state();
    return state.kind === 'loaded' ? state.task : null;
  });
  protected readonly loadError = computed(() => {
    const state = this.state();
    return state.kind === 'error' ? state.message : null;
  });
  protected readonly form = createTaskForm(inject(NonNullableFormBuilder));
  protected readonly saving = signal(false);
  protected readonly submitted = signal(false);
  protected readonly revision = signal(0);
  protected readonly saveError = signal<string | null>(null);
  protected readonly savedMessage = signal<string | null>(null);
  protected readonly confirmingDelete = signal(false);
  protected readonly deleting = signal(false);
  protected readonly deleteError = signal<string | null>(null);
  protected readonly statusLabels = STATUS_LABELS;
  protected readonly statusBadge = STATUS_BADGE;

  private loadSubscription?: Subscription;

  constructor() {
    effect(() => {
      const id = this.id();
      untracked(() => this.load(id));
    });
  }

  protected load(id = this.id()): void {
    this.loadSubscription?.unsubscribe();
    this.state.set({ kind: 'loading' });
    this.loadSubscription = this.api
      .get(id)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (task) => this.adopt(task),
        error: (error: unknown) => {
          // 403 is the API's answer both for someone else's task and for one that does not
          // exist; a malformed id (400) or 404 means the same to the person looking.
          if (error instanceof ApiError && [400, 403, 404].includes(error.status)) {
            this.state.set({ kind: 'unavailable' });
          } else if (!(error instanceof ApiError && error.status === 401)) {
            this.state.set({ kind: 'error', message: errorMessage(error) });
          }
        },
      });
  }

  protected save(): void {
    const task = this.task();
    if (!task || this.saving()) return;
    this.submitted.set(true);
    this.saveError.set(null);
    this.savedMessage.set(null);
    if (this.form.invalid) {
      this.focusFirstInvalid();
      return;
    }
    const changes = changedFields(task, this.form.getRawValue());
    if (Object.keys(changes).length === 0) {
      this.savedMessage.set('Nothing to save: no field changed.');
      return;
    }
    this.saving.set(true);
    this.api
      .update(task.id, changes)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (updated) => {
          this.saving.set(false);
          this.adopt(updated);
          this.savedMessage.set('Saved.');
        },
        error: (error: unknown) => {
          this.saving.set(false);
          if (error instanceof ApiError && error.status === 403) {
            this.state.set({ kind: 'unavailable' });
            return;
          }
          this.showSaveError(error);
        },
      });
  }

  protected askDelete(): void {
    this.deleteError.set(null);
    this.confirmingDelete.set(true);
  }

  protected cancelDelete(): void {
    if (!this.deleting()) this.confirmingDelete.set(false);
  }

  protected confirmDelete(): void {
    const task = this.task();
    if (!task || this.deleting()) return;
    this.deleting.set(true);
    this.api
      .remove(task.id)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: () => {
          this.deleting.set(false);
          this.confirmingDelete.set(false);
          void this.router.navigate(['/dashboard/tasks']);
        },
        error: (error: unknown) => {
          this.deleting.set(false);
          this.deleteError.set(errorMessage(error));
        },
      });
  }

  protected formatTimestamp(iso: string): string {
    return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  }

  private adopt(task: Task): void {
    this.state.set({ kind: 'loaded', task });
    this.title.setTitle(`${task.title} · Evolution of Todo`);
    this.form.reset(taskToFormValue(task));
    this.submitted.set(false);
  }

  private showSaveError(error: unknown): void {
    if (placeFieldErrors(error, this.form.controls)) {
      this.revision.update((n) => n + 1);
      this.focusFirstInvalid();
      return;
    }
    this.saveError.set(errorMessage(error));
  }

  private focusFirstInvalid(): void {
    const field = (Object.keys(this.form.controls) as TaskField[]).find(
      (name) => this.form.controls[name].invalid,
    );
    if (field) document.getElementById(`edit-${field}`)?.focus();
  }
}
