import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  Injector,
  afterNextRender,
  computed,
  effect,
  inject,
  input,
  signal,
  untracked,
} from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { Title } from '@angular/platform-browser';
import { Router, RouterLink } from '@angular/router';
import { Subscription, map } from 'rxjs';
import { ApiError, errorMessage, placeFieldErrors } from '../../core/api-error';
import { Task, TaskChangeEvent } from '../../core/api-models';
import { IdempotencyKeys } from '../../core/idempotency-key';
import { liveTaskView } from '../../core/task-events';
import { TasksApi } from '../../core/tasks-api';
import { ConfirmDialog } from '../../shared/ui/confirm-dialog';
import { TaskConflict } from './task-conflict';
import { TaskFields } from './task-fields';
import {
  TaskField,
  changedBetween,
  changedFields,
  createTaskForm,
  editsOver,
  formValueToInput,
  taskToFormValue,
} from './task-form';
import { STATUS_BADGE, STATUS_LABELS } from './task-labels';

type LoadState =
  | { kind: 'loading' }
  | { kind: 'loaded'; task: Task }
  | { kind: 'unavailable' }
  | { kind: 'error'; message: string };

/** A newer version of the open task, or word that it is gone. */
type Newer = Task | 'deleted';

export const UPDATED_ELSEWHERE = 'Updated on another device.';

function isGone(error: unknown): boolean {
  // 403 is the API's answer for a task that no longer exists as well as for someone else's.
  return error instanceof ApiError && [403, 404].includes(error.status);
}

@Component({
  selector: 'app-task-detail',
  imports: [ReactiveFormsModule, RouterLink, TaskFields, ConfirmDialog, TaskConflict],
  templateUrl: './task-detail.html',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TaskDetail {
  private readonly api = inject(TasksApi);
  private readonly router = inject(Router);
  private readonly destroyRef = inject(DestroyRef);
  private readonly injector = inject(Injector);
  private readonly title = inject(Title);

  /** The `:id` route parameter. */
  readonly id = input.required<string>();

  protected readonly state = signal<LoadState>({ kind: 'loading' });
  /** The version the form started from: what "unsaved edits" are measured against. */
  protected readonly task = computed(() => {
    const state = this.state();
    return state.kind === 'loaded' ? state.task : null;
  });
  protected readonly loadError = computed(() => {
    const state = this.state();
    return state.kind === 'error' ? state.message : null;
  });
  protected readonly form = createTaskForm(inject(NonNullableFormBuilder));
  private readonly formValue = toSignal(
    this.form.valueChanges.pipe(map(() => this.form.getRawValue())),
    { initialValue: this.form.getRawValue() },
  );
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

  /** A newer version that arrived while the form held unsaved edits; the user picks a side. */
  protected readonly theirs = signal<Task | null>(null);
  protected readonly deletedElsewhere = signal(false);
  protected readonly recreating = signal(false);
  /** Quiet word about a change made elsewhere. */
  protected readonly notice = signal<string | null>(null);
  protected readonly conflict = computed(() => {
    const base = this.task();
    const theirs = this.theirs();
    if (!base || !theirs) return null;
    const mine = editsOver(base, theirs, this.formValue());
    return {
      theirs,
      mine,
      theirOnly: changedBetween(base, theirs).filter((field) => !(field in mine)),
    };
  });

  private loadSubscription?: Subscription;
  /** What arrived while a request of this page was in flight; looked at once it is answered. */
  private deferred: Newer | null = null;
  private readonly recreateKeys = new IdempotencyKeys();
  private readonly live = liveTaskView({
    apply: (change) => {
      this.onChange(change);
      return false;
    },
    refresh: () => this.refresh(),
  });

  constructor() {
    effect(() => {
      const id = this.id();
      untracked(() => this.load(id));
    });
  }

  protected load(id = this.id()): void {
    // The task re-created from this page is already shown; the URL just caught up.
    if (this.task()?.id === id) return;
    this.loadSubscription?.unsubscribe();
    this.state.set({ kind: 'loading' });
    this.theirs.set(null);
    this.deletedElsewhere.set(false);
    this.notice.set(null);
    this.deferred = null;
    this.live.loading();
    this.loadSubscription = this.api
      .get(id)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (task) => {
          const deferred = this.takeDeferred();
          if (deferred === 'deleted') {
            this.adopt(task);
            this.goneElsewhere();
          } else {
            this.adopt(deferred && deferred.version > task.version ? deferred : task);
          }
        },
        error: (error: unknown) => {
          // A malformed id (400) or 404 means the same to the person looking as a 403.
          if (isGone(error) || (error instanceof ApiError && error.status === 400)) {
            this.state.set({ kind: 'unavailable' });
          } else if (!(error instanceof ApiError && error.status === 401)) {
            this.state.set({ kind: 'error', message: errorMessage(error) });
          }
        },
      });
  }

  /** Saves the edits; while a conflict is shown this is "Keep mine", against their version. */
  protected save(): void {
    const base = this.task();
    if (!base || this.saving() || this.deletedElsewhere()) return;
    this.submitted.set(true);
    this.saveError.set(null);
    this.savedMessage.set(null);
    if (this.form.invalid) {
      this.focusFirstInvalid();
      return;
    }
    const theirs = this.theirs();
    const target = theirs ?? base;
    const value = this.form.getRawValue();
    const changes = theirs ? editsOver(base, theirs, value) : changedFields(base, value);
    if (Object.keys(changes).length === 0) {
      if (theirs) this.adopt(theirs);
      this.savedMessage.set(
        theirs
          ? 'Nothing to save: their version already has your changes.'
          : 'Nothing to save: no field changed.',
      );
      return;
    }
    this.saving.set(true);
    this.api
      .update(base.id, changes, target.version)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (updated) => {
          this.saving.set(false);
          this.adopt(updated);
          this.savedMessage.set('Saved.');
          this.settleDeferred();
        },
        error: (error: unknown) => {
          this.saving.set(false);
          if (isGone(error)) {
            this.deferred = null;
            this.goneElsewhere();
          } else if (error instanceof ApiError && error.status === 412 && error.current) {
            this.receive(error.current);
            if (this.theirs()) this.focusOnRender('conflict-heading');
            this.settleDeferred();
          } else {
            this.showSaveError(error);
            this.settleDeferred();
          }
        },
      });
  }

  protected takeTheirs(): void {
    const theirs = this.theirs();
    if (!theirs || this.saving()) return;
    this.adopt(theirs);
    this.notice.set('Showing their version; your edits were discarded.');
    this.focusOnRender('edit-title');
  }

  /** Adds what the form holds as a new task, after the original was deleted elsewhere. */
  protected recreate(): void {
    if (this.recreating()) return;
    this.submitted.set(true);
    this.saveError.set(null);
    if (this.form.invalid) {
      this.focusFirstInvalid();
      return;
    }
    const input = formValueToInput(this.form.getRawValue());
    this.recreating.set(true);
    this.api
      .create(input, this.recreateKeys.keyFor(input))
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (task) => {
          this.recreateKeys.succeeded();
          this.recreating.set(false);
          this.deletedElsewhere.set(false);
          this.adopt(task);
          this.notice.set('Added again as a new task.');
          void this.router.navigate(['/dashboard/tasks', task.id], { replaceUrl: true });
        },
        error: (error: unknown) => {
          this.recreating.set(false);
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
    // Someone who was shown their version and still deletes means that version.
    const version = (this.theirs() ?? task).version;
    this.api
      .remove(task.id, version)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: () => this.deleted(),
        error: (error: unknown) => {
          this.deleting.set(false);
          if (isGone(error)) {
            // Deleted elsewhere first: what the user wanted anyway.
            this.deleted();
          } else if (error instanceof ApiError && error.status === 412 && error.current) {
            this.confirmingDelete.set(false);
            this.receive(error.current);
            this.notice.set(
              'This task was just changed on another device, so it was not deleted. Check the latest version, then delete it again if you still want to.',
            );
            this.settleDeferred();
          } else {
            this.deleteError.set(errorMessage(error));
            this.settleDeferred();
          }
        },
      });
  }

  protected formatTimestamp(iso: string): string {
    return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  }

  private onChange(change: TaskChangeEvent): void {
    if (change.task_id !== this.id()) return;
    this.arrived(change.type === 'task.deleted' ? 'deleted' : change.task);
  }

  private arrived(newer: Newer): void {
    // This page's own request may be what caused the change: decide once it has answered.
    if (this.state().kind === 'loading' || this.saving() || this.deleting()) {
      this.defer(newer);
    } else {
      this.receive(newer);
    }
  }

  /** After a reconnection: fetch the task quietly in case a change was missed meanwhile. */
  private refresh(): void {
    const kind = this.state().kind;
    if (kind === 'loading') {
      this.load();
      return;
    }
    if (kind !== 'loaded' || this.deletedElsewhere()) return;
    this.live.loading();
    this.api
      .get(this.id(), { background: true })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (task) => this.arrived(task),
        error: (error: unknown) => {
          if (isGone(error)) this.arrived('deleted');
        },
      });
  }

  private receive(newer: Newer): void {
    if (newer === 'deleted') {
      this.goneElsewhere();
      return;
    }
    const base = this.task();
    if (!base || this.deletedElsewhere()) return;
    // Repeats, our own changes coming back, and anything older than what is shown.
    if (newer.version <= (this.theirs() ?? base).version) return;
    const value = this.form.getRawValue();
    const unsaved = Object.keys(changedFields(base, value)).length > 0;
    if (!unsaved || Object.keys(editsOver(base, newer, value)).length === 0) {
      // No edits here, or theirs already has them all: nothing is lost by showing it.
      this.adopt(newer);
      this.notice.set(UPDATED_ELSEWHERE);
      return;
    }
    this.theirs.set(newer);
  }

  private goneElsewhere(): void {
    this.theirs.set(null);
    this.confirmingDelete.set(false);
    this.savedMessage.set(null);
    this.notice.set(null);
    this.deletedElsewhere.set(true);
  }

  private deleted(): void {
    this.deferred = null;
    this.deleting.set(false);
    this.confirmingDelete.set(false);
    void this.router.navigate(['/dashboard/tasks']);
  }

  private defer(newer: Newer): void {
    const kept = this.deferred;
    if (kept === 'deleted') return;
    if (newer === 'deleted' || !kept || newer.version > kept.version) this.deferred = newer;
  }

  private takeDeferred(): Newer | null {
    const deferred = this.deferred;
    this.deferred = null;
    return deferred;
  }

  private settleDeferred(): void {
    const deferred = this.takeDeferred();
    if (deferred) this.receive(deferred);
  }

  private adopt(task: Task): void {
    this.state.set({ kind: 'loaded', task });
    this.title.setTitle(`${task.title} · Evolution of Todo`);
    this.form.reset(taskToFormValue(task));
    this.submitted.set(false);
    this.theirs.set(null);
    this.notice.set(null);
  }

  private showSaveError(error: unknown): void {
    if (placeFieldErrors(error, this.form.controls)) {
      this.revision.update((n) => n + 1);
      this.focusFirstInvalid();
      return;
    }
    this.saveError.set(errorMessage(error));
  }

  private focusOnRender(id: string): void {
    afterNextRender(() => document.getElementById(id)?.focus(), { injector: this.injector });
  }

  private focusFirstInvalid(): void {
    const field = (Object.keys(this.form.controls) as TaskField[]).find(
      (name) => this.form.controls[name].invalid,
    );
    if (field) document.getElementById(`edit-${field}`)?.focus();
  }
}
