import { ChangeDetectionStrategy, Component, input, model, output } from '@angular/core';
import { Task } from '../../core/api-models';

// PLACEHOLDER so the web app compiles until the calendar branch lands; that branch owns this
// file and its version replaces this one at merge. Same inputs and outputs.
@Component({
  selector: 'app-task-calendar',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<p class="mt-4 text-sm text-slate-600 dark:text-slate-300" role="status">
    The calendar is not available in this build ({{ month() }}).
  </p>`,
})
export class TaskCalendar {
  readonly tasks = input.required<readonly Task[]>();
  readonly timeZone = input('UTC');
  readonly month = model('');
  readonly rangeChange = output<{ from: string; to: string }>();
  readonly reschedule = output<{ task: Task; due_date: string }>();
  readonly open = output<Task>();
}
