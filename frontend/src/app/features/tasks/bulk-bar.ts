import { ChangeDetectionStrategy, Component, inject, input, output, signal } from '@angular/core';
import { Observable } from 'rxjs';
import { errorMessage } from '../../core/api-error';
import { BulkUpdateInput, Task, TaskPriority } from '../../core/api-models';
import { ProjectsStore } from '../projects/projects-store';
import { TaskActions } from './task-actions';
import { PRIORITIES, PRIORITY_LABELS } from './task-labels';

/** The API's limit for one bulk call. */
export const BULK_MAX = 100;

function plural(n: number): string {
  return `${n} task${n === 1 ? '' : 's'}`;
}

/**
 * What can be done to the selected tasks: each action is one API call (all or nothing), and
 * the toast undoes it.
 */
@Component({
  selector: 'app-bulk-bar',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'block' },
  template: `
    <div
      class="flex flex-wrap items-center gap-2 rounded-lg border border-indigo-300 bg-indigo-50 p-2 text-sm dark:border-indigo-800 dark:bg-indigo-950"
      role="toolbar"
      aria-label="Selected tasks"
      data-testid="bulk-bar"
    >
      <span class="font-medium" aria-live="polite">{{ tasks().length }} selected</span>
      <button type="button" class="btn-secondary" [disabled]="busy() || !tasks().length" (click)="complete()">
        Done
      </button>
      <label class="sr-only" for="bulk-project">Move to project</label>
      <select id="bulk-project" class="field-input w-auto" [disabled]="busy() || !tasks().length" (change)="move($event)">
        <option value="">Move to…</option>
        @for (node of projects.tree(); track node.project.id) {
          <option [value]="node.project.id">{{ '— '.repeat(node.depth) }}{{ node.project.name }}</option>
        }
      </select>
      <label class="sr-only" for="bulk-priority">Set priority</label>
      <select id="bulk-priority" class="field-input w-auto" [disabled]="busy() || !tasks().length" (change)="priority($event)">
        <option value="">Priority…</option>
        @for (p of priorities; track p) {
          <option [value]="p">{{ priorityLabels[p] }}</option>
        }
        <option value="none">No priority</option>
      </select>
      <label class="sr-only" for="bulk-due">Due date</label>
      <input id="bulk-due" type="date" class="field-input w-auto" [disabled]="busy() || !tasks().length" (change)="due($event)" />
      <button type="button" class="btn-secondary" [disabled]="busy() || !tasks().length" (click)="clearDue()">No date</button>
      <form class="flex items-center gap-1" (submit)="tag($event)">
        <label class="sr-only" for="bulk-tag">Tag</label>
        <input id="bulk-tag" name="tag" class="field-input w-28" placeholder="Tag" autocomplete="off" maxlength="50" />
        <button type="submit" name="add" value="add" class="btn-secondary" [disabled]="busy() || !tasks().length">Add tag</button>
        <button type="submit" name="remove" value="remove" class="btn-secondary" [disabled]="busy() || !tasks().length">Remove tag</button>
      </form>
      <button type="button" class="btn-danger" [disabled]="busy() || !tasks().length" (click)="remove()">Delete</button>
      @if (error(); as message) {
        <p class="w-full text-red-700 dark:text-red-300" role="alert">{{ message }}</p>
      }
    </div>
  `,
})
export class BulkBar {
  readonly tasks = input.required<Task[]>();
  readonly finished = output<void>();

  protected readonly projects = inject(ProjectsStore);
  private readonly actions = inject(TaskActions);
  protected readonly priorities = PRIORITIES;
  protected readonly priorityLabels = PRIORITY_LABELS;
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);

  protected complete(): void {
    const open = this.tasks().filter((t) => t.status !== 'done');
    if (!open.length) return;
    this.run(this.actions.bulk(open, { set: { status: 'done' } }, `Completed ${plural(open.length)}.`));
  }

  protected move(event: Event): void {
    const select = event.target as HTMLSelectElement;
    const id = select.value;
    select.value = '';
    if (!id) return;
    // A subtask moves with its parent; naming it on its own would be refused.
    const ids = new Set(this.tasks().map((t) => t.id));
    const tops = this.tasks().filter((t) => !t.parent_id || !ids.has(t.parent_id));
    this.run(
      this.actions.bulk(tops, { set: { project_id: id } }, `Moved ${plural(tops.length)} to ${this.projects.name(id)}.`),
    );
  }

  protected priority(event: Event): void {
    const select = event.target as HTMLSelectElement;
    const value = select.value;
    select.value = '';
    if (!value) return;
    const priority = value === 'none' ? null : (value as TaskPriority);
    const label = priority ? `${PRIORITY_LABELS[priority]} priority` : 'no priority';
    this.run(this.actions.bulk(this.tasks(), { set: { priority } }, `Set ${plural(this.tasks().length)} to ${label}.`));
  }

  protected due(event: Event): void {
    const input = event.target as HTMLInputElement;
    const date = input.value;
    if (!date) return;
    input.value = '';
    this.run(this.actions.bulk(this.tasks(), { set: { due_date: date } }, `Rescheduled ${plural(this.tasks().length)}.`));
  }

  protected clearDue(): void {
    this.run(this.actions.bulk(this.tasks(), { set: { due_date: null } }, `Removed the due date of ${plural(this.tasks().length)}.`));
  }

  protected tag(event: SubmitEvent): void {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const input = form.elements.namedItem('tag') as HTMLInputElement;
    const tag = input.value.trim().replace(/^#/, '');
    if (!tag) {
      input.focus();
      return;
    }
    const removing = (event.submitter as HTMLButtonElement | null)?.value === 'remove';
    const change: Omit<BulkUpdateInput, 'ids'> = removing ? { remove_tags: [tag] } : { add_tags: [tag] };
    const message = removing
      ? `Removed #${tag} from ${plural(this.tasks().length)}.`
      : `Tagged ${plural(this.tasks().length)} #${tag}.`;
    this.run(this.actions.bulk(this.tasks(), change, message), () => (input.value = ''));
  }

  protected remove(): void {
    const ids = new Set(this.tasks().map((t) => t.id));
    const tops = this.tasks().filter((t) => !t.parent_id || !ids.has(t.parent_id));
    this.run(this.actions.bulkDelete(tops));
  }

  private run(call: Observable<unknown>, then?: () => void): void {
    if (this.tasks().length > BULK_MAX) {
      this.error.set(`Select at most ${BULK_MAX} tasks for one change.`);
      return;
    }
    this.busy.set(true);
    this.error.set(null);
    call.subscribe({
      next: () => {
        this.busy.set(false);
        then?.();
        this.finished.emit();
      },
      error: (error: unknown) => {
        this.busy.set(false);
        this.error.set(errorMessage(error));
      },
    });
  }
}
