import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { RouterLink } from '@angular/router';
import { Task } from '../../core/api-models';
import { QuickAddInput } from '../quick-add/quick-add-input';
import { TaskActions } from './task-actions';
import { moveBy } from './task-moves';
import { TaskViewStore } from './task-view-store';

/** A task's direct subtasks: complete, open, reorder, and add (through quick add). */
@Component({
  selector: 'app-task-subtasks',
  imports: [RouterLink, QuickAddInput],
  providers: [TaskViewStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'block' },
  template: `
    <section aria-labelledby="subtasks-heading">
      <!-- One level below the task's title: h2 on the task's page, h3 in the panel. -->
      <h3 id="subtasks-heading" class="text-sm font-semibold" [attr.aria-level]="headingLevel()">
        Subtasks
        @if (subtasks().length) {
          <span class="font-normal text-slate-600 dark:text-slate-400">{{ doneCount() }}/{{ subtasks().length }}</span>
        }
      </h3>
      <ul class="mt-1" data-testid="subtasks">
        @for (task of subtasks(); track task.id; let first = $first; let last = $last) {
          <li class="flex items-center gap-1 border-b border-slate-200 dark:border-slate-800" [attr.data-subtask-id]="task.id">
            <button
              type="button"
              role="checkbox"
              class="touch-target flex shrink-0 items-center justify-center"
              [attr.aria-checked]="task.status === 'done'"
              [attr.aria-label]="(task.status === 'done' ? 'Reopen ' : 'Complete ') + task.title"
              (click)="actions.toggleDone(task).subscribe()"
            >
              <span
                class="flex size-4 items-center justify-center rounded-full border-2 border-slate-500"
                [class.bg-emerald-700]="task.status === 'done'"
                [class.border-emerald-700]="task.status === 'done'"
                aria-hidden="true"
              ></span>
            </button>
            <a
              class="min-w-0 flex-1 truncate text-sm hover:underline"
              [class.line-through]="task.status === 'done'"
              [routerLink]="[]"
              [queryParams]="{ task: task.id }"
              queryParamsHandling="merge"
              >{{ task.title }}</a
            >
            <button type="button" class="touch-target-sm btn-link" [disabled]="first" [attr.aria-label]="'Move ' + task.title + ' up'" (click)="move(task, -1)">↑</button>
            <button type="button" class="touch-target-sm btn-link" [disabled]="last" [attr.aria-label]="'Move ' + task.title + ' down'" (click)="move(task, 1)">↓</button>
          </li>
        }
      </ul>
      <app-quick-add
        class="mt-2"
        label="Add a subtask"
        fieldLabel="New subtask"
        buttonLabel="Add"
        placeholder="Add a subtask"
        [defaults]="{ parent_id: parentId() }"
      />
    </section>
  `,
})
export class TaskSubtasks {
  readonly parentId = input.required<string>();
  /** The heading level of "Subtasks": one below the task title's. */
  readonly headingLevel = input<2 | 3>(3);
  protected readonly store = inject(TaskViewStore);
  protected readonly actions = inject(TaskActions);
  protected readonly subtasks = computed(() =>
    [...this.store.tasks()].sort((a, b) => a.position - b.position || a.created_at.localeCompare(b.created_at)),
  );
  protected readonly doneCount = computed(() => this.subtasks().filter((t) => t.status === 'done').length);

  constructor() {
    this.store.watch(() => {
      const id = this.parentId();
      return { params: { parent_id: id, sort: 'position' }, matches: (t: Task) => t.parent_id === id };
    });
  }

  protected move(task: Task, step: -1 | 1): void {
    const items = this.subtasks().map((t) => ({ task: t, depth: 0 }));
    const change = moveBy(items, task, step);
    if (!change) return;
    this.actions.move(task, change, `Moved “${task.title}” ${step < 0 ? 'up' : 'down'}.`).subscribe(() =>
      document.querySelector<HTMLElement>(`[data-subtask-id="${task.id}"] button[aria-label^="Move ${CSS.escape(task.title)} ${step < 0 ? 'up' : 'down'}"]`)?.focus(),
    );
  }
}
