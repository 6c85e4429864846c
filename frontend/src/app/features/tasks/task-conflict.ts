import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';
import { Task, TaskPriority, TaskStatus, UpdateTaskInput } from '../../core/api-models';
import { describeRule } from '../../quick-add/recurrence';
import { PRIORITY_LABELS, STATUS_LABELS, formatDueDate } from './task-labels';

/** The fields an edit can change, as `changedFields` names them. */
export type EditField = keyof UpdateTaskInput;

export const FIELD_LABELS: Partial<Record<EditField, string>> = {
  title: 'Title',
  description: 'Description',
  status: 'Status',
  priority: 'Priority',
  tags: 'Tags',
  due_date: 'Due date',
  due_time: 'Time',
  project_id: 'Project',
  recurrence: 'Repeat',
};

/** A field's value in words, the same for both sides so they compare at a glance. */
export function describeValue(field: EditField, value: unknown): string {
  switch (field) {
    case 'recurrence': {
      if (!value) return 'None';
      const rule = value as { rrule: string; from: 'due' | 'completion' };
      try {
        return describeRule(rule.rrule, 'en-US', { from: rule.from });
      } catch {
        return rule.rrule;
      }
    }
    case 'status':
      return STATUS_LABELS[value as TaskStatus];
    case 'priority':
      return value ? PRIORITY_LABELS[value as TaskPriority] : 'None';
    case 'tags':
      return (value as string[]).length ? (value as string[]).join(', ') : 'None';
    case 'due_date':
      return value ? formatDueDate(value as string) : 'None';
    default:
      return value ? String(value) : 'None';
  }
}

/**
 * Shown when the task changed on another device while the form held unsaved edits: each
 * field where the two differ, and the choice of which to keep. Nothing is decided for the user.
 */
@Component({
  selector: 'app-task-conflict',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'block' },
  template: `
    <section
      class="rounded-lg border border-amber-400 bg-amber-50 p-4 text-amber-950 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-50"
      aria-labelledby="conflict-heading"
      data-testid="conflict"
    >
      <h2 id="conflict-heading" tabindex="-1" class="font-semibold outline-none">
        Changed on another device
      </h2>
      <p class="mt-1 text-sm" role="alert">
        This task was changed on another device while you were editing it. Choose which version to
        keep; nothing is saved until you do.
      </p>
      <dl class="mt-3 space-y-3">
        @for (row of rows(); track row.field) {
          <div
            class="rounded-md border border-amber-200 bg-white p-2 dark:border-amber-800 dark:bg-slate-900"
          >
            <dt class="text-sm font-semibold">{{ row.label }}</dt>
            <dd class="mt-1 grid gap-1 text-sm sm:grid-cols-2">
              <p
                class="min-w-0 break-words whitespace-pre-line"
                [attr.data-testid]="'theirs-' + row.field"
              >
                <span class="font-medium">Theirs:</span> {{ row.theirs }}
              </p>
              <p
                class="min-w-0 break-words whitespace-pre-line"
                [attr.data-testid]="'mine-' + row.field"
              >
                <span class="font-medium">Yours:</span> {{ row.mine }}
              </p>
            </dd>
          </div>
        }
      </dl>
      @if (alsoChanged(); as fields) {
        <p class="mt-3 text-sm">Their changes to {{ fields }} are kept either way.</p>
      }
      <div class="mt-4 flex flex-wrap gap-2">
        <button type="button" class="btn-primary" [disabled]="busy()" (click)="keepMine.emit()">
          @if (busy()) {
            <span class="spinner" aria-hidden="true"></span>
          }
          Keep mine
        </button>
        <button type="button" class="btn-secondary" [disabled]="busy()" (click)="takeTheirs.emit()">
          Take theirs
        </button>
      </div>
    </section>
  `,
})
export class TaskConflict {
  /** The version now on the server. */
  readonly theirs = input.required<Task>();
  /** The edits "Keep mine" would send (see editsOver). */
  readonly mine = input.required<UpdateTaskInput>();
  /** Fields only the other device changed. */
  readonly theirOnly = input<readonly EditField[]>([]);
  /** Names a project id for people. */
  readonly projectName = input<(id: string) => string>((id) => id);
  readonly busy = input(false);
  readonly keepMine = output<void>();
  readonly takeTheirs = output<void>();

  protected readonly rows = computed(() => {
    const theirs = this.theirs();
    const describe = (field: EditField, value: unknown) =>
      field === 'project_id' ? this.projectName()(String(value)) : describeValue(field, value);
    return (Object.keys(this.mine()) as EditField[]).map((field) => ({
      field,
      label: FIELD_LABELS[field] ?? field,
      theirs: describe(field, theirs[field as keyof Task]),
      mine: describe(field, this.mine()[field]),
    }));
  });

  protected readonly alsoChanged = computed(() =>
    this.theirOnly()
      .map((field) => (FIELD_LABELS[field] ?? field).toLowerCase())
      .join(', '),
  );
}
