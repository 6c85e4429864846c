import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { ReactiveFormsModule } from '@angular/forms';
import { PRIORITIES, PRIORITY_LABELS, STATUSES, STATUS_LABELS } from './task-labels';
import { TaskField, TaskFormGroup, taskFieldError } from './task-form';

/** The fields of a task, shared by the create form and the detail page. */
@Component({
  selector: 'app-task-fields',
  imports: [ReactiveFormsModule],
  templateUrl: './task-fields.html',
  host: { class: 'block @container' },
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TaskFields {
  readonly group = input.required<TaskFormGroup>();
  /** Makes element ids unique when two forms share a page. */
  readonly idPrefix = input.required<string>();
  /** True once the user tried to submit: then every invalid field says why. */
  readonly submitted = input(false);
  /** Changed by the parent after it put server errors on controls, to re-render them. */
  readonly revision = input(0);

  protected readonly statuses = STATUSES;
  protected readonly priorities = PRIORITIES;
  protected readonly statusLabels = STATUS_LABELS;
  protected readonly priorityLabels = PRIORITY_LABELS;

  protected id(field: string): string {
    return `${this.idPrefix()}-${field}`;
  }

  protected error(field: TaskField): string | null {
    this.revision();
    const control = this.group().controls[field];
    if (!this.submitted() && !control.touched) return null;
    return taskFieldError(field, control.errors);
  }

  protected describedBy(field: TaskField, hint = false): string | null {
    const ids = [
      this.error(field) ? this.id(`${field}-error`) : '',
      hint ? this.id(`${field}-hint`) : '',
    ]
      .filter(Boolean)
      .join(' ');
    return ids || null;
  }
}
