import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { toObservable, toSignal } from '@angular/core/rxjs-interop';
import { ReactiveFormsModule } from '@angular/forms';
import { startWith, switchMap } from 'rxjs';
import { ProjectsStore } from '../projects/projects-store';
import { RecurrenceEditor } from './recurrence-editor';
import { TagIndex } from './tag-index';
import { PRIORITIES, PRIORITY_LABELS, STATUSES, STATUS_LABELS } from './task-labels';
import { TaskField, TaskFormGroup, parseTags, taskFieldError } from './task-form';

/** Every field of a task, for the editor (panel or page). */
@Component({
  selector: 'app-task-fields',
  imports: [ReactiveFormsModule, RecurrenceEditor],
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

  protected readonly projects = inject(ProjectsStore);
  private readonly tagIndex = inject(TagIndex);
  protected readonly statuses = STATUSES;
  protected readonly priorities = PRIORITIES;
  protected readonly statusLabels = STATUS_LABELS;
  protected readonly priorityLabels = PRIORITY_LABELS;
  /** Every event of the form (values, validity, touched, server errors placed on a control). */
  private readonly formEvent = toSignal(
    toObservable(this.group).pipe(switchMap((g) => g.events.pipe(startWith(null)))),
  );
  protected readonly tagText = signal('');
  protected readonly activeTag = signal(0);
  /** Suggestions for the tag being typed (after the last comma). */
  protected readonly tagSuggestions = computed(() => {
    const text = this.tagText();
    const parts = text.split(',');
    const current = parts.at(-1) ?? '';
    if (!current.trim()) return [];
    return this.tagIndex.suggest(current, parseTags(parts.slice(0, -1).join(',')));
  });

  protected id(field: string): string {
    return `${this.idPrefix()}-${field}`;
  }

  protected error(field: TaskField): string | null {
    this.formEvent();
    const control = this.group().controls[field];
    if (!this.submitted() && !control.touched) return null;
    return taskFieldError(field, control.errors);
  }

  protected groupError(): string | null {
    this.formEvent();
    const errors = this.group().errors;
    if (errors?.['repeatNeedsDate']) return 'A repeating task needs a due date.';
    if (errors?.['timeNeedsDate']) return 'A time needs a due date.';
    return null;
  }

  protected describedBy(field: TaskField, hint = false): string | null {
    const ids = [this.error(field) ? this.id(`${field}-error`) : '', hint ? this.id(`${field}-hint`) : '']
      .filter(Boolean)
      .join(' ');
    return ids || null;
  }

  protected onTagInput(event: Event): void {
    this.tagText.set((event.target as HTMLInputElement).value);
    this.activeTag.set(0);
  }

  protected onTagKeydown(event: KeyboardEvent): void {
    const count = this.tagSuggestions().length;
    if (!count) return;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      this.activeTag.set((this.activeTag() + (event.key === 'ArrowDown' ? 1 : count - 1)) % count);
    } else if (event.key === 'Enter' || event.key === 'Tab') {
      event.preventDefault();
      this.acceptTag(this.activeTag());
    } else if (event.key === 'Escape') {
      event.stopPropagation();
      this.tagText.set('');
    }
  }

  protected acceptTag(index: number): void {
    const tag = this.tagSuggestions()[index];
    if (!tag) return;
    const control = this.group().controls.tags;
    const parts = control.value.split(',');
    parts[parts.length - 1] = ` ${tag}`;
    const value = `${parts.join(',').replace(/^\s+/, '')}, `;
    control.setValue(value);
    control.markAsDirty();
    this.tagText.set('');
  }
}
