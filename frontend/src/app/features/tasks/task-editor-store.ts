import { DestroyRef, Injectable, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder } from '@angular/forms';
import { Subscription, map } from 'rxjs';
import { ApiError, errorMessage, placeFieldErrors } from '../../core/api-error';
import { Task, TaskChangeEvent, UpdateTaskInput } from '../../core/api-models';
import { IdempotencyKeys } from '../../core/idempotency-key';
import { upsertChange } from '../../core/task-changes';
import { OfflineSync } from '../../core/offline/offline';
import { TaskEvents } from '../../core/task-events';
import { TasksApi } from '../../core/tasks-api';
import { TaskCreator } from './create-task';
import { TaskActions, isGone } from './task-actions';
import { EditField } from './task-conflict';
import {
  changedBetween,
  changedFields,
  createTaskForm,
  editsOver,
  formValueToInput,
  taskToFormValue,
} from './task-form';

export const UPDATED_ELSEWHERE = 'Updated on another device.';

/**
 * Everything the editor can be doing, one at a time. `task` is the version the form started
 * from (what "unsaved edits" are measured against); `theirs` a newer version that arrived
 * while the form held edits, for the user to choose between.
 */
export type EditorState =
  | { kind: 'loading'; id: string }
  | { kind: 'unavailable'; id: string }
  | { kind: 'failed'; id: string; message: string }
  | { kind: 'editing'; task: Task; notice: string | null; saved: string | null; error: string | null }
  | { kind: 'conflict'; task: Task; theirs: Task }
  | { kind: 'saving'; task: Task; theirs: Task | null }
  | { kind: 'deleting'; task: Task; theirs: Task | null }
  | { kind: 'deletedElsewhere'; task: Task; error: string | null }
  | { kind: 'recreating'; task: Task }
  | { kind: 'deleted'; task: Task };

type WithTask = Extract<EditorState, { task: Task }>;

/** A newer version of the open task, or word that it is gone. */
type Newer = Task | 'deleted';

function hasTask(state: EditorState): state is WithTask {
  return 'task' in state;
}

/**
 * The task editor's state machine and its form. Live changes, 412s and deletions elsewhere
 * move it between states; nothing the user typed is dropped without their say.
 */
@Injectable()
export class TaskEditorStore {
  private readonly api = inject(TasksApi);
  private readonly creator = inject(TaskCreator);
  private readonly actions = inject(TaskActions);
  private readonly events = inject(TaskEvents);
  private readonly destroyRef = inject(DestroyRef);
  private readonly offline = inject(OfflineSync);
  private readonly machine = signal<EditorState>({ kind: 'loading', id: '' });
  private readonly showErrors = signal(false);
  /** What arrived while one of this editor's requests was in flight; looked at once answered. */
  private deferred: Newer | null = null;
  private loadSubscription?: Subscription;
  private readonly recreateKeys = new IdempotencyKeys();
  private loadedEpoch: number | null = null;

  readonly form = createTaskForm(inject(NonNullableFormBuilder));
  private readonly formValue = toSignal(this.form.valueChanges.pipe(map(() => this.form.getRawValue())), {
    initialValue: this.form.getRawValue(),
  });

  readonly state = this.machine.asReadonly();
  /** The version the form started from. */
  readonly task = computed(() => {
    const state = this.machine();
    return hasTask(state) ? state.task : null;
  });
  readonly busy = computed(() => ['saving', 'deleting', 'recreating', 'loading'].includes(this.machine().kind));
  readonly submitted = this.showErrors.asReadonly();
  readonly dirty = computed(() => {
    const task = this.task();
    return !!task && Object.keys(changedFields(task, this.formValue())).length > 0;
  });
  readonly conflict = computed(() => {
    const state = this.machine();
    const theirs = state.kind === 'conflict' || state.kind === 'saving' ? state.theirs : null;
    if (!theirs || !hasTask(state)) return null;
    const mine = editsOver(state.task, theirs, this.formValue());
    return {
      theirs,
      mine,
      theirOnly: changedBetween(state.task, theirs).filter((field) => !(field in mine)) as EditField[],
    };
  });

  constructor() {
    this.events.changes$.pipe(takeUntilDestroyed(this.destroyRef)).subscribe((change) => this.onChange(change));
    this.events.resync$.pipe(takeUntilDestroyed(this.destroyRef)).subscribe((epoch) => {
      if (this.loadedEpoch !== null && this.loadedEpoch < epoch) this.refresh();
    });
    this.offline.conflicts$.pipe(takeUntilDestroyed(this.destroyRef)).subscribe((id) => {
      if (this.task()?.id === id) this.offlineConflict(id);
    });
  }

  /** Opens `id`; the task the store shows already (re-created here) is kept. */
  open(id: string): void {
    if (this.task()?.id === id && this.machine().kind !== 'deleted') return;
    this.loadSubscription?.unsubscribe();
    this.deferred = null;
    this.machine.set({ kind: 'loading', id });
    this.loadedEpoch = this.events.epoch();
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
            this.offlineConflict(task.id);
          }
        },
        error: (error: unknown) => {
          // A malformed id (400) or a 404 means the same to the person looking as a 403.
          if (isGone(error) || (error instanceof ApiError && error.status === 400)) {
            this.machine.set({ kind: 'unavailable', id });
          } else if (!(error instanceof ApiError && error.status === 401)) {
            this.machine.set({ kind: 'failed', id, message: errorMessage(error) });
          }
        },
      });
  }

  retry(): void {
    const state = this.machine();
    if (state.kind === 'failed') this.open(state.id);
  }

  /** Saves the edits; in a conflict this is "Keep mine", sent against their version. */
  save(): void {
    const state = this.machine();
    if (state.kind !== 'editing' && state.kind !== 'conflict') return;
    this.showErrors.set(true);
    if (this.form.invalid) return;
    const base = state.task;
    const theirs = state.kind === 'conflict' ? state.theirs : null;
    const value = this.form.getRawValue();
    const changes = theirs ? editsOver(base, theirs, value) : changedFields(base, value);
    if (theirs && this.offline.conflictFor(base.id)) {
      // A change made offline met their version: the choice settles the waiting change.
      const nothingLeft = Object.keys(changes).length === 0;
      this.machine.set({ kind: 'saving', task: base, theirs });
      void this.offline.resolveConflict(base.id, nothingLeft ? theirs : null).then(() => {
        if (nothingLeft) {
          this.adopt(theirs);
          this.setSaved('Nothing to save: their version already has your changes.');
        } else {
          this.send(base, theirs, changes);
        }
      });
      return;
    }
    if (Object.keys(changes).length === 0) {
      if (theirs) this.adopt(theirs);
      this.machine.set({
        kind: 'editing',
        task: theirs ?? base,
        notice: null,
        error: null,
        saved: theirs
          ? 'Nothing to save: their version already has your changes.'
          : 'Nothing to save: no field changed.',
      });
      return;
    }
    this.send(base, theirs, changes);
  }

  private send(base: Task, theirs: Task | null, changes: UpdateTaskInput): void {
    this.machine.set({ kind: 'saving', task: base, theirs });
    this.api
      .update(base.id, changes, (theirs ?? base).version)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (updated) => {
          this.adopt(updated);
          this.events.announce(upsertChange(updated));
          this.machine.set({ kind: 'editing', task: updated, notice: null, error: null, saved: 'Saved.' });
          this.settleDeferred();
        },
        error: (error: unknown) => {
          if (isGone(error)) {
            this.deferred = null;
            this.goneElsewhere();
            return;
          }
          this.machine.set({ kind: 'editing', task: base, notice: null, error: null, saved: null });
          if (error instanceof ApiError && error.status === 412 && error.current) {
            if (theirs) this.machine.set({ kind: 'conflict', task: base, theirs });
            this.receive(error.current);
          } else {
            this.showSaveError(error);
          }
          this.settleDeferred();
        },
      });
  }

  takeTheirs(): void {
    const state = this.machine();
    if (state.kind !== 'conflict') return;
    void this.offline.resolveConflict(state.theirs.id, state.theirs);
    this.adopt(state.theirs);
    this.machine.set({
      kind: 'editing',
      task: state.theirs,
      notice: 'Showing their version; your edits were discarded.',
      saved: null,
      error: null,
    });
  }

  /** Drops unsaved edits. */
  discard(): void {
    const task = this.task();
    if (task) this.form.reset(taskToFormValue(task));
  }

  /**
   * Moves the task to the trash (the toast undoes it). A task another device deleted first
   * counts as deleted: that was the wish anyway.
   */
  remove(): void {
    const state = this.machine();
    if (state.kind !== 'editing' && state.kind !== 'conflict') return;
    const theirs = state.kind === 'conflict' ? state.theirs : null;
    // Someone shown their version who still deletes means that version.
    const target = theirs ?? state.task;
    this.machine.set({ kind: 'deleting', task: state.task, theirs });
    this.actions
      .remove(target)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: () => {
          this.deferred = null;
          this.machine.set({ kind: 'deleted', task: target });
        },
        error: (error: unknown) => {
          this.machine.set(
            theirs
              ? { kind: 'conflict', task: state.task, theirs }
              : { kind: 'editing', task: state.task, notice: null, saved: null, error: null },
          );
          if (error instanceof ApiError && error.status === 412 && error.current) {
            this.receive(error.current);
            this.setNotice(
              'This task was just changed on another device, so it was not deleted. Check the latest version, then delete it again if you still want to.',
            );
          } else {
            this.setError(`Could not delete: ${errorMessage(error)}`);
          }
          this.settleDeferred();
        },
      });
  }

  /** Adds what the form holds as a new task, after the original was deleted elsewhere. */
  recreate(): void {
    const state = this.machine();
    if (state.kind !== 'deletedElsewhere') return;
    this.showErrors.set(true);
    if (this.form.invalid) return;
    const { project_id: _, ...input } = formValueToInput(this.form.getRawValue());
    // The project may have gone with the task; the API puts the new one in the Inbox then.
    const body = { ...input, ...(state.task.project_id && { project_id: state.task.project_id }) };
    this.machine.set({ kind: 'recreating', task: state.task });
    this.creator
      .create(body, this.recreateKeys)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (task) => {
          this.adopt(task);
          this.machine.set({ kind: 'editing', task, notice: 'Added again as a new task.', saved: null, error: null });
        },
        error: (error: unknown) => {
          this.machine.set({ kind: 'deletedElsewhere', task: state.task, error: errorMessage(error) });
        },
      });
  }

  private onChange(change: TaskChangeEvent): void {
    const task = this.task();
    const state = this.machine();
    const id = state.kind === 'loading' || state.kind === 'unavailable' || state.kind === 'failed' ? state.id : task?.id;
    if (change.task_id !== id) return;
    this.arrived(change.type === 'task.deleted' ? 'deleted' : change.task);
  }

  private arrived(newer: Newer): void {
    // This editor's own request may be what caused the change: decide once it has answered.
    if (this.busy()) this.defer(newer);
    else this.receive(newer);
  }

  /** After a reconnection: fetch the task quietly in case a change was missed meanwhile. */
  private refresh(): void {
    const state = this.machine();
    if (state.kind === 'loading') return this.open(state.id);
    if (state.kind !== 'editing' && state.kind !== 'conflict') return;
    this.loadedEpoch = this.events.epoch();
    this.api
      .get(state.task.id, { background: true })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (task) => this.arrived(task),
        error: (error: unknown) => {
          if (isGone(error)) this.arrived('deleted');
        },
      });
  }

  private receive(newer: Newer): void {
    const state = this.machine();
    if (newer === 'deleted') {
      if (hasTask(state) && state.kind !== 'deleted') this.goneElsewhere();
      return;
    }
    if (state.kind !== 'editing' && state.kind !== 'conflict') return;
    const base = state.task;
    const shown = state.kind === 'conflict' ? state.theirs : base;
    // Repeats, our own changes coming back, and anything older than what is shown.
    if (newer.version <= shown.version) return;
    const value = this.form.getRawValue();
    const unsaved = Object.keys(changedFields(base, value)).length > 0;
    if (!unsaved || Object.keys(editsOver(base, newer, value)).length === 0) {
      // No edits here, or theirs already has them all: nothing is lost by showing it.
      this.adopt(newer);
      this.machine.set({ kind: 'editing', task: newer, notice: UPDATED_ELSEWHERE, saved: null, error: null });
      return;
    }
    this.machine.set({ kind: 'conflict', task: base, theirs: newer });
  }

  private goneElsewhere(): void {
    const task = this.task();
    if (task) this.machine.set({ kind: 'deletedElsewhere', task, error: null });
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
    this.form.reset(taskToFormValue(task));
    this.showErrors.set(false);
    this.machine.set({ kind: 'editing', task, notice: null, saved: null, error: null });
  }

  /**
   * A change made offline that the server refused with a 412: the same choice as a live
   * conflict, between the version it was made on with the change, and theirs.
   */
  private offlineConflict(id: string): void {
    const held = this.offline.conflictFor(id);
    if (!held) return;
    const base = held.before ?? held.theirs;
    this.adopt(base);
    this.form.reset(taskToFormValue({ ...base, ...(held.changes as UpdateTaskInput) } as Task));
    this.machine.set({ kind: 'conflict', task: base, theirs: held.theirs });
  }

  private setSaved(saved: string): void {
    const state = this.machine();
    if (state.kind === 'editing') this.machine.set({ ...state, saved });
  }

  private setNotice(notice: string): void {
    const state = this.machine();
    if (state.kind === 'editing') this.machine.set({ ...state, notice });
  }

  private setError(error: string): void {
    const state = this.machine();
    if (state.kind === 'editing') this.machine.set({ ...state, error });
  }

  private showSaveError(error: unknown): void {
    if (placeFieldErrors(error, this.form.controls)) return;
    this.setError(errorMessage(error));
  }
}

