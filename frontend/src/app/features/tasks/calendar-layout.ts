import { ChangeDetectionStrategy, Component, inject, input, output, signal } from '@angular/core';
import { Task } from '../../core/api-models';
import { UserSettings } from '../../core/user-settings';
import { formatDate } from '../../quick-add/calendar';
import { TaskCalendar } from '../calendar/task-calendar';
import { calendarParams, DateRange, onCalendar } from './calendar-query';
import { quoted, TaskActions } from './task-actions';
import { TaskListParams } from '../../core/tasks-api';
import { TaskViewStore } from './task-view-store';

/** A page's query: what to ask the API for, and which changed task belongs. */
export interface PageQuery {
  readonly params: TaskListParams | null;
  readonly matches: (task: Task) => boolean;
}

/**
 * A project or view as a month grid. It loads only what the grid shows: the tasks due in its
 * range and the repeating ones due before it (projected onto their next dates), and keeps
 * them live like any list.
 */
@Component({
  selector: 'app-calendar-layout',
  imports: [TaskCalendar],
  providers: [TaskViewStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <app-task-calendar
      [tasks]="store.tasks()"
      [timeZone]="settings.timeZone()"
      [locale]="locale"
      [(month)]="month"
      (rangeChange)="range.set($event)"
      (reschedule)="reschedule($event.task, $event.due_date)"
      (open)="open.emit($event)"
    />
    @if (store.error(); as error) {
      <p class="mt-2 text-sm text-red-700 dark:text-red-300" role="alert">
        Could not load the tasks: {{ error }}
        <button type="button" class="link touch-target" (click)="store.reload()">Try again</button>
      </p>
    }
  `,
})
export class CalendarLayout {
  /** The page's own query (a project's or a view's); the calendar narrows it to its range. */
  readonly query = input.required<PageQuery>();
  readonly open = output<Task>();

  protected readonly store = inject(TaskViewStore);
  protected readonly settings = inject(UserSettings);
  private readonly actions = inject(TaskActions);
  protected readonly locale = typeof navigator === 'undefined' ? undefined : navigator.language;
  protected readonly month = signal<string | undefined>(undefined);
  protected readonly range = signal<DateRange | null>(null, {
    equal: (a, b) => a?.from === b?.from && a?.to === b?.to,
  });

  constructor() {
    this.store.watch(() => {
      const base = this.query();
      const range = this.range();
      if (!range || !base.params) return { params: null, matches: () => false };
      return {
        params: calendarParams(base.params, range),
        matches: (task: Task) => base.matches(task) && onCalendar(task, range),
      };
    });
  }

  protected reschedule(task: Task, dueDate: string): void {
    const day = formatDate(dueDate, this.locale ?? 'en-US', { currentYear: new Date().getFullYear() });
    this.actions.changeInLayout(task, { due_date: dueDate }, `Rescheduled ${quoted(task.title)} to ${day}.`).subscribe();
  }
}
