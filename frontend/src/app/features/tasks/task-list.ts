import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  computed,
  inject,
  signal,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import { debounceTime, map, merge } from 'rxjs';
import { ApiError, errorMessage, placeFieldErrors } from '../../core/api-error';
import { Task, TaskPriority, TaskStatus } from '../../core/api-models';
import { IdempotencyKeys } from '../../core/idempotency-key';
import { TaskSort } from '../../core/tasks-api';
import { ConfirmDialog } from '../../shared/ui/confirm-dialog';
import { TaskFields } from './task-fields';
import {
  PRIORITIES,
  PRIORITY_BADGE,
  PRIORITY_LABELS,
  STATUSES,
  STATUS_LABELS,
  formatDueDate,
  isOverdue,
  localIsoDate,
} from './task-labels';
import { TaskField, createTaskForm, formValueToInput, parseTags } from './task-form';
import {
  DEFAULT_SORT,
  SORT_OPTIONS,
  TaskListQuery,
  hasFilters,
  parseTaskListQuery,
  sameQuery,
  toQueryParams,
} from './task-query';
import { TasksStore } from './tasks-store';

/** Typing in the search or tag box waits this long before the list is asked for again. */
export const SEARCH_DEBOUNCE_MS = 300;

@Component({
  selector: 'app-task-list',
  imports: [ReactiveFormsModule, RouterLink, TaskFields, ConfirmDialog],
  templateUrl: './task-list.html',
  providers: [TasksStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TaskList {
  private readonly route = inject(ActivatedRoute);
  private readonly router = inject(Router);
  private readonly destroyRef = inject(DestroyRef);
  private readonly fb = inject(NonNullableFormBuilder);
  protected readonly store = inject(TasksStore);

  protected readonly statuses = STATUSES;
  protected readonly priorities = PRIORITIES;
  protected readonly statusLabels = STATUS_LABELS;
  protected readonly priorityLabels = PRIORITY_LABELS;
  protected readonly priorityBadge = PRIORITY_BADGE;
  protected readonly sortOptions = SORT_OPTIONS;
  protected readonly formatDueDate = formatDueDate;
  protected readonly today = localIsoDate();

  protected readonly filters = this.fb.group({
    q: [''],
    status: this.fb.group({ todo: false, 'in-progress': false, done: false }),
    priority: this.fb.group({ high: false, medium: false, low: false }),
    tags: [''],
    sort: [DEFAULT_SORT as TaskSort],
  });

  protected readonly createForm = createTaskForm(this.fb);
  protected readonly creating = signal(false);
  protected readonly createSubmitted = signal(false);
  protected readonly createError = signal<string | null>(null);
  protected readonly createRevision = signal(0);
  protected readonly createdMessage = signal<string | null>(null);
  private readonly createKeys = new IdempotencyKeys();

  protected readonly toDelete = signal<Task | null>(null);
  protected readonly deleting = signal(false);
  protected readonly deleteError = signal<string | null>(null);

  protected readonly filtered = computed(() => hasFilters(this.store.query()));
  protected readonly page = computed(() => this.store.query().page);

  constructor() {
    this.route.queryParamMap.pipe(takeUntilDestroyed()).subscribe((params) => {
      const query = parseTaskListQuery(params);
      this.patchFilters(query);
      if (!this.store.loaded() || !sameQuery(query, this.store.query())) this.store.load(query);
    });

    const { q, tags, status, priority, sort } = this.filters.controls;
    merge(
      merge(status.valueChanges, priority.valueChanges, sort.valueChanges),
      merge(q.valueChanges, tags.valueChanges).pipe(debounceTime(SEARCH_DEBOUNCE_MS)),
    )
      .pipe(
        map(() => this.filtersQuery()),
        takeUntilDestroyed(),
      )
      .subscribe((query) => this.show(query));
  }

  /** Enter in the filter form applies it at once instead of waiting for the debounce. */
  protected applyFilters(): void {
    this.show(this.filtersQuery());
  }

  protected clearFilters(): void {
    this.show({ ...this.store.query(), status: [], priority: [], tags: [], q: '', page: 1 });
  }

  protected filterByTag(tag: string): void {
    const query = this.store.query();
    if (query.tags.includes(tag)) return;
    this.show({ ...query, tags: [...query.tags, tag], page: 1 });
  }

  protected pageParams(page: number) {
    return toQueryParams({ ...this.store.query(), page });
  }

  protected isOverdue(task: Task): boolean {
    return isOverdue(task, this.today);
  }

  protected changeStatus(task: Task, event: Event): void {
    const select = event.target as HTMLSelectElement;
    const status = select.value as TaskStatus;
    if (status === task.status) return;
    this.store
      .setStatus(task, status)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        // The row says what went wrong; put the control back to the status the task has now.
        error: () =>
          (select.value = this.store.tasks().find((t) => t.id === task.id)?.status ?? task.status),
      });
  }

  protected addTask(): void {
    if (this.creating()) return;
    this.createSubmitted.set(true);
    this.createError.set(null);
    this.createdMessage.set(null);
    if (this.createForm.invalid) {
      this.focusFirstInvalid();
      return;
    }
    const input = formValueToInput(this.createForm.getRawValue());
    this.creating.set(true);
    this.store
      .create(input, this.createKeys.keyFor(input))
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (task) => {
          this.createKeys.succeeded();
          this.creating.set(false);
          this.createSubmitted.set(false);
          this.createForm.reset();
          this.createdMessage.set(`Added “${task.title}”.`);
          document.getElementById('new-title')?.focus();
        },
        error: (error: unknown) => {
          this.creating.set(false);
          this.showCreateError(error);
        },
      });
  }

  protected askDelete(task: Task): void {
    this.deleteError.set(null);
    this.toDelete.set(task);
  }

  protected cancelDelete(): void {
    if (this.deleting()) return;
    this.toDelete.set(null);
  }

  protected confirmDelete(): void {
    const task = this.toDelete();
    if (!task || this.deleting()) return;
    this.deleting.set(true);
    this.deleteError.set(null);
    this.store
      .remove(task)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: () => {
          this.deleting.set(false);
          this.toDelete.set(null);
          const query = this.store.query();
          if (this.store.tasks().length === 0 && query.page > 1) {
            this.show({ ...query, page: query.page - 1 });
          } else {
            this.store.reload();
          }
          document.getElementById('tasks-heading')?.focus();
        },
        error: (error: unknown) => {
          this.deleting.set(false);
          if (error instanceof ApiError && error.status === 412) {
            // The row now shows the newer version and says why nothing was deleted.
            this.toDelete.set(null);
          } else {
            this.deleteError.set(errorMessage(error));
          }
        },
      });
  }

  protected focusNewTitle(): void {
    document.getElementById('new-title')?.focus();
  }

  private filtersQuery(): TaskListQuery {
    const value = this.filters.getRawValue();
    return {
      status: STATUSES.filter((s) => value.status[s]),
      priority: PRIORITIES.filter((p: TaskPriority) => value.priority[p]),
      tags: parseTags(value.tags),
      q: value.q.trim(),
      sort: value.sort,
      page: 1,
    };
  }

  /** Puts a view in the URL; the query-string subscription then loads it. */
  private show(query: TaskListQuery): void {
    if (sameQuery(query, this.store.query())) return;
    void this.router.navigate([], { relativeTo: this.route, queryParams: toQueryParams(query) });
  }

  private patchFilters(query: TaskListQuery): void {
    const current = this.filtersQuery();
    // Leave the boxes alone while their text still means the same, e.g. trailing spaces.
    const sameText = current.q === query.q;
    const sameTags = current.tags.join('\n') === query.tags.join('\n');
    this.filters.patchValue(
      {
        ...(sameText ? {} : { q: query.q }),
        ...(sameTags ? {} : { tags: query.tags.join(', ') }),
        status: Object.fromEntries(STATUSES.map((s) => [s, query.status.includes(s)])),
        priority: Object.fromEntries(PRIORITIES.map((p) => [p, query.priority.includes(p)])),
        sort: query.sort,
      },
      { emitEvent: false },
    );
  }

  private showCreateError(error: unknown): void {
    if (placeFieldErrors(error, this.createForm.controls)) {
      this.createRevision.update((n) => n + 1);
      this.focusFirstInvalid();
      return;
    }
    this.createError.set(errorMessage(error));
  }

  private focusFirstInvalid(): void {
    const field = (Object.keys(this.createForm.controls) as TaskField[]).find(
      (name) => this.createForm.controls[name].invalid,
    );
    if (field) document.getElementById(`new-${field}`)?.focus();
  }
}
