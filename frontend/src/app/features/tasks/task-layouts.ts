import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { ActivatedRoute, Router } from '@angular/router';
import { Task, TaskStatus } from '../../core/api-models';
import { UserSettings } from '../../core/user-settings';
import { TaskBoard } from '../board/task-board';
import { ProjectsStore } from '../projects/projects-store';
import { CalendarLayout, PageQuery } from './calendar-layout';
import { Layout } from './layout-switch';
import { quoted, TaskActions } from './task-actions';

const STATUS_NAMES: Record<TaskStatus, string> = { todo: 'To do', 'in-progress': 'In progress', done: 'Done' };

/**
 * The Board and Calendar of a project or view. Both are deferred: their code loads only when
 * someone switches to them, so the list, the first page anyone sees, does not pay for them.
 */
@Component({
  selector: 'app-task-layouts',
  imports: [TaskBoard, CalendarLayout],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (layout() === 'board') {
      @defer (on immediate) {
        <app-task-board
          class="mt-4 block"
          [tasks]="tasks()"
          [projectNames]="projectNames()"
          [timeZone]="settings.timeZone()"
          (statusChange)="setStatus($event.task, $event.status)"
          (open)="open($event)"
        />
      } @placeholder {
        <p class="mt-4 text-sm" role="status">Loading the board…</p>
      }
    } @else if (layout() === 'calendar') {
      @defer (on immediate) {
        <app-calendar-layout class="mt-4 block" [query]="query()" (open)="open($event)" />
      } @placeholder {
        <p class="mt-4 text-sm" role="status">Loading the calendar…</p>
      }
    }
  `,
})
export class TaskLayouts {
  readonly layout = input.required<Layout>();
  /** What the board shows: the page's tasks. */
  readonly tasks = input.required<readonly Task[]>();
  /** What the calendar loads for itself, within its range. */
  readonly query = input.required<PageQuery>();
  /** Cards name their project (in a view, not in a project). */
  readonly showProject = input(false);

  protected readonly settings = inject(UserSettings);
  private readonly actions = inject(TaskActions);
  private readonly projects = inject(ProjectsStore);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);
  protected readonly projectNames = computed<ReadonlyMap<string, string>>(() =>
    this.showProject() ? new Map(this.projects.projects().map((p) => [p.id, p.name])) : new Map(),
  );

  protected setStatus(task: Task, status: TaskStatus): void {
    const message = `${quoted(task.title)} is now ${STATUS_NAMES[status]}.`;
    this.actions.changeInLayout(task, { status }, message).subscribe();
  }

  protected open(task: Task): void {
    void this.router.navigate([], { relativeTo: this.route, queryParams: { task: task.id }, queryParamsHandling: 'merge' });
  }
}
