import { FormBuilder } from '@angular/forms';
import { makeTask } from '../../../testing/factories';
import { Task } from '../../core/api-models';
import {
  changedBetween,
  changedFields,
  createTaskForm,
  editsOver,
  formValueToInput,
  parseTags,
  taskFieldError,
  taskToFormValue,
} from './task-form';

const TASK: Task = makeTask({
  id: 't1',
  title: 'Buy milk',
  priority: 'high',
  tags: ['home', 'shop'],
  due_date: '2027-03-05',
});

describe('task form', () => {
  const fb = new FormBuilder().nonNullable;

  it('parses tags like the API: trimmed, no empties, no duplicates, order kept', () => {
    expect(parseTags(' b, a ,, b,c ')).toEqual(['b', 'a', 'c']);
    expect(parseTags('')).toEqual([]);
  });

  it('checks the title as the API does (3 to 255 characters, trimmed)', () => {
    const form = createTaskForm(fb);
    form.controls.title.setValue('  ab  ');
    expect(taskFieldError('title', form.controls.title.errors)).toBe(
      'Title must be at least 3 characters.',
    );
    form.controls.title.setValue('x'.repeat(256));
    expect(taskFieldError('title', form.controls.title.errors)).toBe(
      'Title must be at most 255 characters.',
    );
    form.controls.title.setValue('abc');
    expect(form.controls.title.valid).toBe(true);
  });

  it('refuses dates that do not exist and too many or too long tags', () => {
    const form = createTaskForm(fb);
    form.controls.due_date.setValue('2027-02-30');
    expect(taskFieldError('due_date', form.controls.due_date.errors)).toBe('Enter a real date.');
    form.controls.due_date.setValue('2028-02-29');
    expect(form.controls.due_date.valid).toBe(true);
    form.controls.tags.setValue(Array.from({ length: 21 }, (_, i) => `t${i}`).join(','));
    expect(taskFieldError('tags', form.controls.tags.errors)).toBe('Use at most 20 tags.');
    form.controls.tags.setValue('x'.repeat(51));
    expect(taskFieldError('tags', form.controls.tags.errors)).toBe(
      'Each tag must be at most 50 characters.',
    );
  });

  it('builds the API body with nulls for empty optional fields', () => {
    expect(
      formValueToInput({
        title: '  Call mum ',
        description: '   ',
        status: 'in-progress',
        priority: '',
        tags: 'family, phone',
        due_date: '',
        due_time: '09:00',
        project_id: '',
        repeat: 'FREQ=DAILY',
        repeat_from: 'due',
      }),
    ).toEqual({
      title: 'Call mum',
      description: null,
      status: 'in-progress',
      priority: null,
      tags: ['family', 'phone'],
      due_date: null,
      // A time and a repeat mean nothing without a date: the API would refuse them.
      due_time: null,
      recurrence: null,
    });
  });

  it('counts lengths in code points, as the API does', () => {
    const form = createTaskForm(new FormBuilder().nonNullable);
    // Two emoji are four UTF-16 units but two characters: too short.
    form.controls.title.setValue('😀😀');
    expect(form.controls.title.errors).toEqual({ tooShort: true });
    form.controls.title.setValue('😀😀😀');
    expect(form.controls.title.valid).toBe(true);
    // 255 emoji are 510 UTF-16 units and still a valid title.
    form.controls.title.setValue('😀'.repeat(255));
    expect(form.controls.title.valid).toBe(true);
    form.controls.title.setValue('😀'.repeat(256));
    expect(form.controls.title.errors).toEqual({ tooLong: true });
  });

  it('sends a due time, a project and a repeat rule only when they changed', () => {
    const value = {
      ...taskToFormValue(TASK),
      due_date: '2027-03-01',
      due_time: '08:30',
      project_id: 'work-1',
      repeat: 'FREQ=WEEKLY;BYDAY=MO',
      repeat_from: 'completion' as const,
    };
    expect(changedFields(TASK, value)).toEqual({
      due_date: '2027-03-01',
      due_time: '08:30',
      project_id: 'work-1',
      recurrence: { rrule: 'FREQ=WEEKLY;BYDAY=MO', from: 'completion' },
    });
    const repeating: Task = { ...TASK, due_date: '2027-03-01', recurrence: { rrule: 'FREQ=DAILY', from: 'due' } };
    expect(changedFields(repeating, { ...taskToFormValue(repeating), repeat: '' })).toEqual({ recurrence: null });
  });

  it('asks for a due date before a time or a repeat', () => {
    const form = createTaskForm(new FormBuilder().nonNullable);
    form.patchValue({ title: 'Water plants', repeat: 'FREQ=DAILY' });
    expect(form.errors).toEqual({ repeatNeedsDate: true });
    form.patchValue({ repeat: '', due_time: '09:00' });
    expect(form.errors).toEqual({ timeNeedsDate: true });
    form.patchValue({ due_date: '2027-03-01' });
    expect(form.errors).toBeNull();
  });

  it('sends only the fields that changed', () => {
    expect(changedFields(TASK, taskToFormValue(TASK))).toEqual({});
    const value = {
      ...taskToFormValue(TASK),
      description: 'Semi-skimmed',
      priority: '' as const,
      tags: 'shop, home',
      due_date: '',
    };
    expect(changedFields(TASK, value)).toEqual({
      description: 'Semi-skimmed',
      priority: null,
      tags: ['shop', 'home'],
      due_date: null,
    });
  });

  it('keeps over their version only what was edited here and differs from theirs', () => {
    const theirs: Task = { ...TASK, title: 'Buy oat milk', description: 'Two cartons', version: 2 };
    const mine = { ...taskToFormValue(TASK), title: 'Buy milk today', status: 'done' as const };
    expect(editsOver(TASK, theirs, mine)).toEqual({ title: 'Buy milk today', status: 'done' });
    // The same edit on both sides is no conflict; their description is left alone.
    expect(editsOver(TASK, theirs, { ...taskToFormValue(TASK), title: 'Buy oat milk' })).toEqual(
      {},
    );
    expect(changedBetween(TASK, theirs)).toEqual(['title', 'description']);
  });
});
