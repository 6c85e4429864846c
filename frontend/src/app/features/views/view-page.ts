import { ChangeDetectionStrategy, Component, computed, effect, inject, input } from '@angular/core';
import { Title } from '@angular/platform-browser';
import { UserSettings } from '../../core/user-settings';
import { ProjectsStore, subtreeIds } from '../projects/projects-store';
import { PageQuery } from '../tasks/calendar-layout';
import { LayoutSwitch, parseLayout } from '../tasks/layout-switch';
import { ListStatus } from '../tasks/list-status';
import { TaskLayouts } from '../tasks/task-layouts';
import { TaskListView } from '../tasks/task-list-view';
import { groupFlat } from '../tasks/task-groups';
import { TaskViewStore } from '../tasks/task-view-store';
import { matchesView, sortForView, viewParams } from '../tasks/view-query';
import { ViewsStore } from './views-store';

/** A saved view: its query's tasks, kept live by the same rules the API filters by. */
@Component({
  selector: 'app-view-page',
  imports: [TaskListView, ListStatus, LayoutSwitch, TaskLayouts],
  providers: [TaskViewStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (view(); as view) {
      <div class="flex flex-wrap items-center justify-between gap-2">
        <h1 tabindex="-1" class="text-2xl font-semibold outline-none">{{ view.name }}</h1>
        <app-layout-switch [current]="mode()" />
      </div>
      @if (mode() === 'list') {
        <app-list-status
          [loaded]="store.loaded()"
          [error]="store.error()"
          [empty]="store.tasks().length === 0"
          emptyTitle="No tasks match this view."
          (retry)="store.reload()"
        />
        @if (store.loaded() && store.tasks().length) {
          <app-task-list-view class="mt-4" [groups]="groups()" [today]="settings.today()" />
        }
      } @else {
        <app-task-layouts [layout]="mode()" [tasks]="store.tasks()" [query]="query()" [showProject]="true" />
      }
    } @else {
      <p class="mt-6 text-slate-600 dark:text-slate-300" role="status">Loading…</p>
    }
  `,
})
export class ViewPage {
  readonly id = input.required<string>();
  readonly layout = input<string>();

  protected readonly store = inject(TaskViewStore);
  protected readonly settings = inject(UserSettings);
  private readonly views = inject(ViewsStore);
  private readonly projects = inject(ProjectsStore);
  protected readonly mode = computed(() => parseLayout(this.layout()));
  protected readonly view = computed(() => this.views.views().find((v) => v.id === this.id()) ?? null);
  protected readonly groups = computed(() =>
    groupFlat(sortForView(this.store.tasks(), this.view()?.query.sort), this.view()?.name),
  );

  /** The view's query, and the same rules applied to a changed task. */
  protected readonly query = computed<PageQuery>(() => {
    const view = this.view();
    const query = view?.query ?? {};
    const ids = query.project_id?.length
      ? new Set(
          query.include_subprojects
            ? query.project_id.flatMap((id) => subtreeIds(this.projects.projects(), id))
            : query.project_id,
        )
      : undefined;
    return {
      params: view ? viewParams(query) : null,
      matches: (task) => !!view && matchesView(task, query, ids),
    };
  });

  constructor() {
    const title = inject(Title);
    effect(() => {
      const view = this.view();
      if (view) title.setTitle(`${view.name} · Evolution of Todo`);
    });
    // The calendar loads its own range; the list and the board share every task.
    this.store.watch(() => (this.mode() === 'calendar' ? { ...this.query(), params: null } : this.query()));
  }
}
