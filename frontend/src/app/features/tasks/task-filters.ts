import { ChangeDetectionStrategy, Component, effect, inject, input, output, untracked } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { debounceTime, map, merge } from 'rxjs';
import { TaskPriority } from '../../core/api-models';
import { TaskSort } from '../../core/tasks-api';
import { PRIORITIES, PRIORITY_LABELS, STATUSES, STATUS_LABELS } from './task-labels';
import { parseTags } from './task-form';
import { DEFAULT_SORT, SORT_OPTIONS, TaskListQuery, hasFilters } from './task-query';

/** Typing in the search or tag box waits this long before the list is asked for again. */
export const SEARCH_DEBOUNCE_MS = 300;

/** The task list's filters: search, tags, status, priority and sort. */
@Component({
  selector: 'app-task-filters',
  imports: [ReactiveFormsModule],
  templateUrl: './task-filters.html',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'block' },
})
export class TaskFilters {
  /** The query in the URL; the form follows it. */
  readonly query = input.required<TaskListQuery>();
  /** A new query (page 1) whenever the person changes a filter. */
  readonly queryChange = output<TaskListQuery>();
  readonly cleared = output<void>();

  private readonly fb = inject(NonNullableFormBuilder);
  protected readonly statuses = STATUSES;
  protected readonly priorities = PRIORITIES;
  protected readonly statusLabels = STATUS_LABELS;
  protected readonly priorityLabels = PRIORITY_LABELS;
  protected readonly sortOptions = SORT_OPTIONS;
  protected readonly filters = this.fb.group({
    q: [''],
    status: this.fb.group({ todo: false, 'in-progress': false, done: false }),
    priority: this.fb.group({ high: false, medium: false, low: false }),
    tags: [''],
    sort: [DEFAULT_SORT as TaskSort],
  });

  constructor() {
    effect(() => {
      const query = this.query();
      untracked(() => this.patch(query));
    });
    const { q, tags, status, priority, sort } = this.filters.controls;
    merge(
      merge(status.valueChanges, priority.valueChanges, sort.valueChanges),
      merge(q.valueChanges, tags.valueChanges).pipe(debounceTime(SEARCH_DEBOUNCE_MS)),
    )
      .pipe(
        map(() => this.current()),
        takeUntilDestroyed(),
      )
      .subscribe((query) => this.queryChange.emit(query));
  }

  protected filtered(): boolean {
    return hasFilters(this.query());
  }

  /** Enter applies the filters at once instead of waiting for the debounce. */
  protected applyFilters(): void {
    this.queryChange.emit(this.current());
  }

  private current(): TaskListQuery {
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

  private patch(query: TaskListQuery): void {
    const current = this.current();
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
}
