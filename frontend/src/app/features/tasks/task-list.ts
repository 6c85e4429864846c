import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import { errorMessage } from '../../core/api-error';
import { ViewQuery } from '../../core/api-models';
import { UserSettings } from '../../core/user-settings';
import { QuickAddInput } from '../quick-add/quick-add-input';
import { ViewsStore } from '../views/views-store';
import { TaskFilters } from './task-filters';
import { TaskListView } from './task-list-view';
import { groupFlat } from './task-groups';
import {
  TaskListQuery,
  hasFilters,
  parseTaskListQuery,
  sameQuery,
  toQueryParams,
} from './task-query';
import { TasksStore } from './tasks-store';

/** The saved-view query for the list's filters (the view keeps them, not the page). */
export function toViewQuery(query: TaskListQuery): ViewQuery {
  return {
    ...(query.status.length && { status: query.status }),
    ...(query.priority.length && { priority: query.priority }),
    ...(query.tags.length && { tag: query.tags }),
    ...(query.q && { q: query.q }),
    sort: query.sort,
  };
}

/**
 * Every task, filtered and searched, 20 a page; the filters live in the URL, and any set of
 * them can be saved as a view for the sidebar.
 */
@Component({
  selector: 'app-task-list',
  imports: [RouterLink, TaskFilters, TaskListView, QuickAddInput],
  templateUrl: './task-list.html',
  providers: [TasksStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TaskList {
  private readonly route = inject(ActivatedRoute);
  private readonly router = inject(Router);
  private readonly views = inject(ViewsStore);
  protected readonly store = inject(TasksStore);
  protected readonly settings = inject(UserSettings);

  protected readonly filtered = computed(() => hasFilters(this.store.query()));
  protected readonly page = computed(() => this.store.query().page);
  protected readonly groups = computed(() => groupFlat(this.store.tasks(), 'Tasks'));
  protected readonly naming = signal(false);
  protected readonly viewError = signal<string | null>(null);

  constructor() {
    this.route.queryParamMap.pipe(takeUntilDestroyed()).subscribe((params) => {
      const query = parseTaskListQuery(params);
      if (!this.store.loaded() || !sameQuery(query, this.store.query())) this.store.load(query);
    });
  }

  protected clearFilters(): void {
    this.show({ ...this.store.query(), status: [], priority: [], tags: [], q: '', page: 1 });
  }

  protected pageParams(page: number) {
    return { ...toQueryParams({ ...this.store.query(), page }), task: null };
  }

  protected saveView(event: Event): void {
    event.preventDefault();
    const input = (event.target as HTMLFormElement).elements.namedItem('name') as HTMLInputElement;
    const name = input.value.trim();
    if (!name) {
      this.viewError.set('Give the view a name.');
      input.focus();
      return;
    }
    this.views.create(name, toViewQuery(this.store.query())).subscribe({
      next: (view) => {
        this.naming.set(false);
        void this.router.navigate(['/views', view.id]);
      },
      error: (error: unknown) => {
        this.viewError.set(errorMessage(error));
        input.focus();
      },
    });
  }

  /** Puts a view in the URL; the query-string subscription then loads it. */
  protected show(query: TaskListQuery): void {
    if (sameQuery(query, this.store.query())) return;
    void this.router.navigate([], { relativeTo: this.route, queryParams: toQueryParams(query) });
  }
}
