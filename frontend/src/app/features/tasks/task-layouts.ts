import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { ActivatedRoute, Router } from '@angular/router';
import { Task } from '../../core/api-models';
import { UserSettings } from '../../core/user-settings';
import { TaskBoard } from '../board/task-board';
import { TaskCalendar } from '../calendar/task-calendar';
import { ProjectsStore } from '../projects/projects-store';
import { TaskActions } from './task-actions';
import { Layout } from './layout-switch';

/**
 * The Board and Calendar of a project or view. Both are deferred: their code loads only when
 * someone switches to them, so the list, the first page anyone sees, does not pay for them.
 */
@Component({
  selector: 'app-task-layouts',
  imports: [TaskBoard, TaskCalendar],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (layout() === 'board') {
      @defer (on immediate) {
        <app-task-board
          [tasks]="tasks()"
          [projectNames]="projectNames()"
          (statusChange)="actions.setStatus($event.task, $event.status).subscribe()"
          (open)="open($event)"
        />
      } @placeholder {
        <p class="mt-4 text-sm" role="status">Loading the board…</p>
      }
    } @else if (layout() === 'calendar') {
      @defer (on immediate) {
        <app-task-calendar
          [tasks]="tasks()"
          [timeZone]="settings.timeZone()"
          [(month)]="month"
          (reschedule)="actions.patch($event.task, { due_date: $event.due_date }).subscribe()"
          (open)="open($event)"
        />
      } @placeholder {
        <p class="mt-4 text-sm" role="status">Loading the calendar…</p>
      }
    }
  `,
})
export class TaskLayouts {
  readonly layout = input.required<Layout>();
  readonly tasks = input.required<readonly Task[]>();

  protected readonly actions = inject(TaskActions);
  protected readonly settings = inject(UserSettings);
  private readonly projects = inject(ProjectsStore);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);
  protected readonly month = signal(this.settings.today().slice(0, 7));
  protected readonly projectNames = computed<ReadonlyMap<string, string>>(
    () => new Map(this.projects.projects().map((p) => [p.id, p.name])),
  );

  protected open(task: Task): void {
    void this.router.navigate([], { relativeTo: this.route, queryParams: { task: task.id }, queryParamsHandling: 'merge' });
  }
}
