import { ChangeDetectionStrategy, Component, DestroyRef, inject, input, output } from '@angular/core';
import { RouterLink } from '@angular/router';
import { Shortcuts } from '../../core/shortcuts';
import { TaskEditor } from './task-editor';

/** The open task beside the list (`?task=`); on a phone it covers the screen. */
@Component({
  selector: 'app-task-panel',
  imports: [TaskEditor, RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: {
    class:
      'fixed inset-0 z-40 overflow-y-auto bg-white px-4 pt-3 pb-24 shadow-xl sm:inset-y-0 sm:right-0 sm:left-auto sm:w-[30rem] sm:border-l sm:border-slate-200 dark:bg-slate-900 sm:dark:border-slate-800',
    role: 'region',
    'aria-label': 'Task',
    'data-testid': 'task-panel',
  },
  template: `
    <div class="mb-2 flex items-center justify-between">
      <a class="btn-link touch-target-sm" [routerLink]="['/tasks', taskId()]">Open as page</a>
      <button type="button" class="btn-secondary" (click)="closed.emit()">Close</button>
    </div>
    <app-task-editor [taskId]="taskId()" [headingLevel]="2" [focusField]="focusField()" (deleted)="closed.emit()" />
  `,
})
export class TaskPanel {
  readonly taskId = input.required<string>();
  readonly focusField = input<string | null>(null);
  readonly closed = output<void>();

  constructor() {
    const unregister = inject(Shortcuts).register([
      { keys: 'Escape', description: 'Close the task', run: () => this.closed.emit() },
    ]);
    inject(DestroyRef).onDestroy(unregister);
  }
}
