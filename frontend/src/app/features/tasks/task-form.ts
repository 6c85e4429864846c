import {
  AbstractControl,
  FormControl,
  FormGroup,
  NonNullableFormBuilder,
  ValidationErrors,
  ValidatorFn,
} from '@angular/forms';
import {
  CreateTaskInput,
  Task,
  TaskPriority,
  TaskStatus,
  UpdateTaskInput,
} from '../../core/api-models';
import { codePoints } from './text-length';

// The API's limits, checked here first so people learn about them before sending.
export const TITLE_MIN = 3;
export const TITLE_MAX = 255;
export const DESCRIPTION_MAX = 10_000;
export const TAGS_MAX = 20;
export const TAG_MAX = 50;

export type TaskFormGroup = FormGroup<{
  title: FormControl<string>;
  description: FormControl<string>;
  status: FormControl<TaskStatus>;
  priority: FormControl<TaskPriority | ''>;
  tags: FormControl<string>;
  due_date: FormControl<string>;
  /** HH:MM or empty; needs a due date. */
  due_time: FormControl<string>;
  /** Empty on a create form: the API's default (the Inbox, or the parent's project). */
  project_id: FormControl<string>;
  /** An RRULE, or empty for a task that does not repeat. */
  repeat: FormControl<string>;
  repeat_from: FormControl<'due' | 'completion'>;
}>;
export type TaskFormValue = ReturnType<TaskFormGroup['getRawValue']>;
export type TaskField = keyof TaskFormValue;

export const titleValidator: ValidatorFn = (control: AbstractControl): ValidationErrors | null => {
  const length = codePoints(String(control.value ?? '').trim());
  if (length === 0) return { required: true };
  if (length < TITLE_MIN) return { tooShort: true };
  if (length > TITLE_MAX) return { tooLong: true };
  return null;
};

export const descriptionValidator: ValidatorFn = (control) =>
  codePoints(String(control.value ?? '')) > DESCRIPTION_MAX ? { tooLong: true } : null;

/** Splits "a, b, a" into ["a", "b"]: trimmed, empty ones and duplicates dropped, order kept. */
export function parseTags(text: string): string[] {
  const tags: string[] = [];
  for (const part of text.split(',')) {
    const tag = part.trim();
    if (tag && !tags.includes(tag)) tags.push(tag);
  }
  return tags;
}

export const tagsValidator: ValidatorFn = (control) => {
  const tags = parseTags(String(control.value ?? ''));
  if (tags.length > TAGS_MAX) return { tooMany: true };
  if (tags.some((tag) => codePoints(tag) > TAG_MAX)) return { tagTooLong: true };
  return null;
};

/** Empty, or a real calendar date as YYYY-MM-DD (2027-02-30 is not). */
export const dueDateValidator: ValidatorFn = (control) => {
  const value = String(control.value ?? '');
  if (!value) return null;
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return { date: true };
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(y, m - 1, d));
  const real =
    date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
  return real ? null : { date: true };
};

export function createTaskForm(fb: NonNullableFormBuilder, task?: Task): TaskFormGroup {
  const value = task ? taskToFormValue(task) : null;
  return fb.group({
    title: [value?.title ?? '', titleValidator],
    description: [value?.description ?? '', descriptionValidator],
    status: [value?.status ?? ('todo' as TaskStatus)],
    priority: [value?.priority ?? ('' as TaskPriority | '')],
    tags: [value?.tags ?? '', tagsValidator],
    due_date: [value?.due_date ?? '', dueDateValidator],
    due_time: [value?.due_time ?? ''],
    project_id: [value?.project_id ?? ''],
    repeat: [value?.repeat ?? ''],
    repeat_from: [value?.repeat_from ?? ('due' as 'due' | 'completion')],
  }, { validators: repeatNeedsDate });
}

/** The API refuses a time or a repeat without a due date; say so before sending. */
export const repeatNeedsDate: ValidatorFn = (group) => {
  const value = (group as TaskFormGroup).getRawValue();
  if (value.due_date) return null;
  if (value.repeat) return { repeatNeedsDate: true };
  if (value.due_time) return { timeNeedsDate: true };
  return null;
};

export function taskToFormValue(task: Task): TaskFormValue {
  return {
    title: task.title,
    description: task.description ?? '',
    status: task.status,
    priority: task.priority ?? '',
    tags: task.tags.join(', '),
    due_date: task.due_date ?? '',
    due_time: task.due_time ?? '',
    project_id: task.project_id,
    repeat: task.recurrence?.rrule ?? '',
    repeat_from: task.recurrence?.from ?? 'due',
  };
}

/** The API body for a new task; empty optional fields become null or are left out. */
export function formValueToInput(value: TaskFormValue): CreateTaskInput {
  return {
    title: value.title.trim(),
    description: value.description.trim() ? value.description : null,
    status: value.status,
    priority: value.priority || null,
    tags: parseTags(value.tags),
    due_date: value.due_date || null,
    due_time: (value.due_date && value.due_time) || null,
    ...(value.project_id && { project_id: value.project_id }),
    recurrence: value.due_date && value.repeat ? { rrule: value.repeat, from: value.repeat_from } : null,
  };
}

/** Only what the form changed, so a save never overwrites fields it did not touch. */
export function changedFields(task: Task, value: TaskFormValue): UpdateTaskInput {
  const next = formValueToInput(value);
  const changes: UpdateTaskInput = {};
  if (next.title !== task.title) changes.title = next.title;
  if ((next.description ?? null) !== (task.description ?? null)) {
    changes.description = next.description ?? null;
  }
  if (next.status !== task.status) changes.status = next.status;
  if ((next.priority ?? null) !== task.priority) changes.priority = next.priority ?? null;
  const tags = next.tags ?? [];
  if (tags.length !== task.tags.length || tags.some((tag, i) => tag !== task.tags[i])) {
    changes.tags = tags;
  }
  if ((next.due_date ?? null) !== task.due_date) changes.due_date = next.due_date ?? null;
  if ((next.due_time ?? null) !== task.due_time && next.due_date) changes.due_time = next.due_time ?? null;
  if (next.project_id && next.project_id !== task.project_id) changes.project_id = next.project_id;
  const before = task.recurrence ? `${task.recurrence.from}|${task.recurrence.rrule}` : '';
  const after = next.recurrence ? `${next.recurrence.from}|${next.recurrence.rrule}` : '';
  if (before !== after) changes.recurrence = next.recurrence ?? null;
  return changes;
}

export function taskFieldError(field: TaskField, errors: ValidationErrors | null): string | null {
  if (!errors) return null;
  if (errors['server']) return String(errors['server']);
  switch (field) {
    case 'title':
      if (errors['required']) return 'Enter a title.';
      if (errors['tooShort']) return `Title must be at least ${TITLE_MIN} characters.`;
      if (errors['tooLong']) return `Title must be at most ${TITLE_MAX} characters.`;
      return null;
    case 'description':
      return errors['tooLong']
        ? `Description must be at most ${DESCRIPTION_MAX} characters.`
        : null;
    case 'tags':
      if (errors['tooMany']) return `Use at most ${TAGS_MAX} tags.`;
      if (errors['tagTooLong']) return `Each tag must be at most ${TAG_MAX} characters.`;
      return null;
    case 'due_date':
      return errors['date'] ? 'Enter a real date.' : null;
    default:
      return null;
  }
}

/**
 * What "Keep mine" sends once `theirs` has replaced `base`, the version the form started
 * from: every field edited here whose value differs from theirs. Fields edited only on the
 * other device are left out, so those changes survive.
 */
export function editsOver(base: Task, theirs: Task, value: TaskFormValue): UpdateTaskInput {
  const edited = changedFields(base, value);
  return Object.fromEntries(
    Object.entries(changedFields(theirs, value)).filter(([field]) => field in edited),
  ) as UpdateTaskInput;
}

/** The fields that differ between two versions of a task. */
export function changedBetween(before: Task, after: Task): (keyof UpdateTaskInput)[] {
  return Object.keys(changedFields(before, taskToFormValue(after))) as (keyof UpdateTaskInput)[];
}
