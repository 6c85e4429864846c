import { ChangeDetectionStrategy, Component, DestroyRef, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { Subject, catchError, forkJoin, map, of, switchMap } from 'rxjs';
import { ApiError, errorMessage } from '../../core/api-error';
import { Task, TaskChangeEvent, TaskStatus } from '../../core/api-models';
import { IdempotencyKeys } from '../../core/idempotency-key';
import { liveTaskView } from '../../core/task-events';
import { TaskListParams, TasksApi } from '../../core/tasks-api';
import { AuthService } from '../../core/auth.service';
import {
  PRIORITY_BADGE,
  PRIORITY_LABELS,
  STATUSES,
  STATUS_LABELS,
  addDays,
  formatDueDate,
  localIsoDate,
} from './task-labels';
import { taskFieldError, titleValidator } from './task-form';

export interface DashboardSummary {
  counts: Record<TaskStatus, number>;
  overdue: { tasks: Task[]; total: number };
  dueSoon: { tasks: Task[]; total: number };
  recent: Task[];
}

const OPEN: TaskStatus[] = ['todo', 'in-progress'];
const LIST_SIZE = 5;

type Loaded = { summary: DashboardSummary } | { error: unknown; background: boolean };

/** The summary with `change` applied to the tasks it lists, if it is newer than they are. */
function applyToSummary(summary: DashboardSummary, change: TaskChangeEvent): DashboardSummary {
  const update = (tasks: Task[]) =>
    change.type === 'task.deleted'
      ? tasks.filter((t) => t.id !== change.task_id)
      : tasks.map((t) => (t.id === change.task_id && change.version > t.version ? change.task : t));
  return {
    ...summary,
    overdue: { ...summary.overdue, tasks: update(summary.overdue.tasks) },
    dueSoon: { ...summary.dueSoon, tasks: update(summary.dueSoon.tasks) },
    recent: update(summary.recent),
  };
}

/** Whether the summary already shows `change` (or something newer) for every task it lists. */
function alreadyShown(summary: DashboardSummary, change: TaskChangeEvent): boolean {
  if (change.type === 'task.deleted') return false;
  const shown = [...summary.overdue.tasks, ...summary.dueSoon.tasks, ...summary.recent].filter(
    (t) => t.id === change.task_id,
  );
  return shown.length > 0 && shown.every((t) => t.version >= change.version);
}

@Component({
  selector: 'app-dashboard',
  imports: [ReactiveFormsModule, RouterLink],
  templateUrl: './dashboard.html',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Dashboard {
  private readonly api = inject(TasksApi);
  private readonly destroyRef = inject(DestroyRef);
  protected readonly auth = inject(AuthService);

  protected readonly statuses = STATUSES;
  protected readonly statusLabels = STATUS_LABELS;
  protected readonly priorityLabels = PRIORITY_LABELS;
  protected readonly priorityBadge = PRIORITY_BADGE;
  protected readonly formatDueDate = formatDueDate;

  protected readonly summary = signal<DashboardSummary | null>(null);
  protected readonly loadError = signal<string | null>(null);

  protected readonly quickForm = inject(NonNullableFormBuilder).group({
    title: ['', titleValidator],
  });
  private readonly quickAdd = this.quickForm.controls.title;
  protected readonly adding = signal(false);
  protected readonly addSubmitted = signal(false);
  protected readonly addError = signal<string | null>(null);
  protected readonly addedTask = signal<Task | null>(null);
  private readonly addKeys = new IdempotencyKeys();

  private readonly loads = new Subject<boolean>();
  private readonly live = liveTaskView({
    apply: (change) => {
      const summary = this.summary();
      if (summary && alreadyShown(summary, change)) return false;
      if (summary) this.summary.set(applyToSummary(summary, change));
      // The counts and what belongs in each list can only be known from the API.
      return true;
    },
    refresh: () => this.loads.next(true),
  });

  constructor() {
    this.loads
      .pipe(
        // A newer load (or live refresh) replaces one still in flight.
        switchMap((background) => {
          this.live.loading();
          if (!background) this.loadError.set(null);
          return this.fetchSummary(background).pipe(
            map((summary): Loaded => ({ summary })),
            catchError((error: unknown) => of<Loaded>({ error, background })),
          );
        }),
        takeUntilDestroyed(),
      )
      .subscribe((result) => {
        if ('summary' in result) {
          this.summary.set(result.summary);
          this.loadError.set(null);
        } else if (!(result.error instanceof ApiError && result.error.status === 401)) {
          // A failed live refresh leaves the figures shown; they are only a little old.
          if (!result.background || !this.summary()) {
            this.loadError.set(errorMessage(result.error));
          }
        }
      });
    this.load();
  }

  protected load(): void {
    this.loads.next(false);
  }

  private fetchSummary(background: boolean) {
    const today = localIsoDate();
    const list = (query: TaskListParams) => this.api.list(query, { background });
    return forkJoin({
      todo: list({ status: ['todo'], limit: 1 }),
      inProgress: list({ status: ['in-progress'], limit: 1 }),
      done: list({ status: ['done'], limit: 1 }),
      overdue: list({
        status: OPEN,
        due_before: addDays(today, -1),
        sort: 'due_date',
        limit: LIST_SIZE,
      }),
      dueSoon: list({
        status: OPEN,
        due_after: today,
        due_before: addDays(today, 6),
        sort: 'due_date',
        limit: LIST_SIZE,
      }),
      recent: list({ sort: '-updated_at', limit: LIST_SIZE }),
    }).pipe(
      map((r): DashboardSummary => ({
        counts: { todo: r.todo.total, 'in-progress': r.inProgress.total, done: r.done.total },
        overdue: r.overdue,
        dueSoon: r.dueSoon,
        recent: r.recent.tasks,
      })),
    );
  }

  protected quickAddError(): string | null {
    if (!this.addSubmitted() && !this.quickAdd.touched) return null;
    return taskFieldError('title', this.quickAdd.errors);
  }

  protected add(): void {
    if (this.adding()) return;
    this.addSubmitted.set(true);
    this.addError.set(null);
    this.addedTask.set(null);
    if (this.quickAdd.invalid) {
      document.getElementById('quick-title')?.focus();
      return;
    }
    this.adding.set(true);
    const input = { title: this.quickAdd.value.trim() };
    this.api
      .create(input, this.addKeys.keyFor(input))
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (task) => {
          this.addKeys.succeeded();
          this.adding.set(false);
          this.addSubmitted.set(false);
          this.quickAdd.reset();
          this.addedTask.set(task);
          this.load();
        },
        error: (error: unknown) => {
          this.adding.set(false);
          this.addError.set(
            error instanceof ApiError
              ? (error.fieldMessage('title') ?? error.message)
              : errorMessage(error),
          );
        },
      });
  }
}
