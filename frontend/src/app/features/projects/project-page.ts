import { ChangeDetectionStrategy, Component, computed, effect, inject, input } from '@angular/core';
import { Title } from '@angular/platform-browser';
import { UserSettings } from '../../core/user-settings';
import { QuickAddInput } from '../quick-add/quick-add-input';
import { PageQuery } from '../tasks/calendar-layout';
import { LayoutSwitch, parseLayout } from '../tasks/layout-switch';
import { ListStatus } from '../tasks/list-status';
import { TaskLayouts } from '../tasks/task-layouts';
import { TaskListView } from '../tasks/task-list-view';
import { groupProject } from '../tasks/task-groups';
import { TaskViewStore } from '../tasks/task-view-store';
import { ProjectsStore, subtreeIds } from './projects-store';

/**
 * A project (or the Inbox): its tasks in the user's order with subtasks nested, a section for
 * each sub-project, and the completed ones last, collapsed.
 */
@Component({
  selector: 'app-project-page',
  imports: [TaskListView, QuickAddInput, ListStatus, LayoutSwitch, TaskLayouts],
  providers: [TaskViewStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (project(); as project) {
      <div class="flex flex-wrap items-center justify-between gap-2">
        <h1 tabindex="-1" class="flex items-center gap-2 text-2xl font-semibold outline-none">
          @if (project.color) {
            <span class="size-3 rounded-full" [style.background]="project.color" aria-hidden="true"></span>
          }
          {{ project.name }}
        </h1>
        <app-layout-switch [current]="mode()" />
      </div>
      @if (mode() === 'list') {
        <app-quick-add class="mt-3" [defaults]="{ project_id: project.id }" />
        <app-list-status
          [loaded]="store.loaded()"
          [error]="store.error()"
          [empty]="store.tasks().length === 0"
          emptyTitle="No tasks here yet."
          emptyHint="Add one above, or drag tasks here from another list."
          (retry)="store.reload()"
        />
        @if (store.loaded() && store.tasks().length) {
          <app-task-list-view
            class="mt-4"
            [groups]="groups()"
            [today]="settings.today()"
            [showProject]="false"
            [orderable]="true"
            [allTasks]="store.tasks()"
          />
        }
        @if (store.loadingMore()) {
          <p class="text-sm text-slate-600 dark:text-slate-400" role="status">Loading more tasks…</p>
        }
      } @else {
        <app-task-layouts [layout]="mode()" [tasks]="store.tasks()" [query]="query()" />
      }
    } @else if (projects.loaded()) {
      <section class="card mx-auto mt-6 max-w-lg text-center">
        <h1 class="text-xl font-semibold">This project is not available</h1>
        <p class="mt-2 text-slate-700 dark:text-slate-300">It may have been deleted on another device.</p>
      </section>
    } @else {
      <p class="mt-6 text-slate-600 dark:text-slate-300" role="status">Loading…</p>
    }
  `,
})
export class ProjectPage {
  /** The route's `:id`; absent on /inbox. */
  readonly id = input<string>();
  readonly layout = input<string>();

  protected readonly store = inject(TaskViewStore);
  protected readonly projects = inject(ProjectsStore);
  protected readonly settings = inject(UserSettings);
  protected readonly mode = computed(() => parseLayout(this.layout()));
  protected readonly project = computed(() => {
    const id = this.id();
    return id ? (this.projects.byId().get(id) ?? null) : this.projects.inbox();
  });
  private readonly subprojects = computed(() => {
    const project = this.project();
    if (!project) return [];
    const tree = this.projects.tree();
    const root = tree.find((n) => n.project.id === project.id);
    const ids = new Set(subtreeIds(this.projects.projects(), project.id));
    return tree
      .filter((n) => n.project.id !== project.id && ids.has(n.project.id))
      .map((n) => ({ project: n.project, depth: n.depth - (root?.depth ?? 0) }));
  });
  private readonly projectIds = computed(() => {
    const project = this.project();
    return project ? subtreeIds(this.projects.projects(), project.id) : [];
  });
  protected readonly groups = computed(() => {
    const project = this.project();
    return project ? groupProject(this.store.tasks(), project, this.subprojects()) : [];
  });

  /** The project's tasks, its sub-projects' too. */
  protected readonly query = computed<PageQuery>(() => {
    const project = this.project();
    const ids = new Set(this.projectIds());
    return {
      params: project ? { project_id: [project.id], include_subprojects: true, sort: 'position' } : null,
      matches: (task) => ids.has(task.project_id),
    };
  });

  constructor() {
    const title = inject(Title);
    effect(() => {
      const project = this.project();
      if (project) title.setTitle(`${project.name} · Evolution of Todo`);
    });
    // The calendar loads its own range; the list and the board share every task.
    this.store.watch(() => (this.mode() === 'calendar' ? { ...this.query(), params: null } : this.query()));
  }
}
