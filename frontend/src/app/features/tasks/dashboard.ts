import { ChangeDetectionStrategy, Component, DestroyRef, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { forkJoin } from 'rxjs';
import { ApiError, errorMessage } from '../../core/api-error';
import { Task, TaskStatus } from '../../core/api-models';
import { TasksApi } from '../../core/tasks-api';
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

  constructor() {
    this.load();
  }

  protected load(): void {
    const today = localIsoDate();
    this.loadError.set(null);
    forkJoin({
      todo: this.api.list({ status: ['todo'], limit: 1 }),
      inProgress: this.api.list({ status: ['in-progress'], limit: 1 }),
      done: this.api.list({ status: ['done'], limit: 1 }),
      overdue: this.api.list({
        status: OPEN,
        due_before: addDays(today, -1),
        sort: 'due_date',
        limit: LIST_SIZE,
      }),
      dueSoon: this.api.list({
        status: OPEN,
        due_after: today,
        due_before: addDays(today, 6),
        sort: 'due_date',
        limit: LIST_SIZE,
      }),
      recent: this.api.list({ sort: '-updated_at', limit: LIST_SIZE }),
    })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (r) =>
          this.summary.set({
            counts: { todo: r.todo.total, 'in-progress': r.inProgress.total, done: r.done.total },
            overdue: r.overdue,
            dueSoon: r.dueSoon,
            recent: r.recent.tasks,
          }),
        error: (error: unknown) => {
          if (!(error instanceof ApiError && error.status === 401)) {
            this.loadError.set(errorMessage(error));
          }
        },
      });
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
    this.api
      .create({ title: this.quickAdd.value.trim() })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (task) => {
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
