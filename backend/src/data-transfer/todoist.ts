import type { ErrorDetail } from '../common/error-body.js';
import type { TaskPriority } from '../tasks/task.entity.js';
import { type ImportTask, type ImportWarning, validateTask } from './import-records.js';
import { parseTodoistDate } from './todoist-dates.js';

/** One row of a Todoist CSV project export, with its line in the file. */
export interface TodoistRow {
  readonly line: number;
  readonly fields: Record<string, string | undefined>;
}

/**
 * Todoist's CSV PRIORITY counts from the top: 1 is p1, the highest (the API's
 * own `priority` field counts the other way, 4 = p1; the CSV does not).
 */
const PRIORITIES: Record<string, TaskPriority | null> = { '1': 'high', '2': 'medium', '3': 'low', '4': null, '': null };

/**
 * Reads a Todoist CSV project export (TYPE, CONTENT, DESCRIPTION, PRIORITY,
 * INDENT, AUTHOR, RESPONSIBLE, DATE, DATE_LANG, TIMEZONE, …):
 * - `task` rows become tasks; INDENT 2+ makes a task a subtask of the
 *   nearest task above it with INDENT one less; `@label`s in CONTENT become
 *   tags; PRIORITY 1→high, 2→medium, 3→low, 4 or empty→none;
 * - DATE becomes the due date, and a recurring one ("every monday") an
 *   RRULE; a DATE that does not parse stays in the description, with a warning;
 * - `section` rows name the section of the tasks after them, kept as a tag;
 * - `note` rows (comments) are added to the description of the task above.
 * `today` is YYYY-MM-DD in the importing user's time zone.
 */
export function readTodoist(rows: readonly TodoistRow[], today: string): { tasks: ImportTask[]; warnings: ImportWarning[]; errors: ErrorDetail[] } {
  const tasks: ImportTask[] = [];
  const warnings: ImportWarning[] = [];
  const errors: ErrorDetail[] = [];
  /** The most recent task at each indent level (index 0 = INDENT 1). */
  const ancestry: string[] = [];
  let section: string | undefined;
  let last: { task: ImportTask; notes: string[] } | undefined;
  const pending: { task: ImportTask; notes: string[] }[] = [];

  for (const { line, fields } of rows) {
    const where = `line ${line}`;
    const type = (fields.TYPE ?? '').trim().toLowerCase();
    if (type === '' || type === 'meta') continue;
    if (type === 'section') {
      section = (fields.CONTENT ?? '').trim() || undefined;
      ancestry.length = 0;
      continue;
    }
    if (type === 'note') {
      const note = (fields.CONTENT ?? '').trim();
      if (!note) continue;
      if (last) last.notes.push(note);
      else warnings.push({ field: where, message: 'a project comment has no task to go with: left out' });
      continue;
    }
    if (type !== 'task') {
      warnings.push({ field: where, message: `TYPE "${fields.TYPE}" is not one Todoist exports (task, section, note): row left out` });
      continue;
    }

    const content = (fields.CONTENT ?? '').trim();
    const labels = [...content.matchAll(/(?:^|\s)@([^\s@]+)/g)].map((match) => match[1]);
    const title = content.replace(/(?:^|\s)@[^\s@]+/g, ' ').replace(/\s+/g, ' ').trim();
    const descriptionParts = [(fields.DESCRIPTION ?? '').trim()].filter(Boolean);

    const priorityText = (fields.PRIORITY ?? '').trim();
    let priority: TaskPriority | null = null;
    if (priorityText in PRIORITIES) priority = PRIORITIES[priorityText];
    else warnings.push({ field: `${where}, PRIORITY`, message: `PRIORITY "${priorityText}" is not 1-4: imported without a priority` });

    const indentText = (fields.INDENT ?? '1').trim() || '1';
    let indent = Number(indentText);
    if (!Number.isInteger(indent) || indent < 1 || indent > 5) {
      warnings.push({ field: `${where}, INDENT`, message: `INDENT "${indentText}" is not 1-5: imported as a top-level task` });
      indent = 1;
    }
    if (indent > ancestry.length + 1) {
      warnings.push({ field: `${where}, INDENT`, message: `INDENT ${indent} has no task at INDENT ${indent - 1} above it: placed under the nearest one` });
      indent = ancestry.length + 1;
    }
    const parentSource = indent > 1 ? ancestry[indent - 2] : undefined;

    const date = parseTodoistDate(fields.DATE, today);
    let dueDate: string | null = null;
    let dueTime: string | undefined;
    let recurrence: ImportTask['recurrence'];
    if (date.kind === 'date' || date.kind === 'recurring') {
      dueDate = date.dueDate;
      dueTime = date.time;
      if (date.kind === 'recurring') recurrence = { rrule: date.rrule, from: date.from };
    } else if (date.kind === 'unparsed') {
      descriptionParts.push(`Todoist date: ${date.text}`);
      warnings.push({ field: `${where}, DATE`, message: `"${date.text}" is not a date or repetition this import understands: kept in the description` });
    }

    const tags = [...labels, ...(section ? [section] : [])];
    const { task, errors: problems } = validateTask(
      {
        title,
        description: descriptionParts.length > 0 ? descriptionParts.join('\n\n') : null,
        priority,
        tags,
        due_date: dueDate,
      },
      (field) => `${where}, ${field === 'title' ? 'CONTENT' : field === 'description' ? 'DESCRIPTION' : field}`,
      where,
    );
    if (!task) {
      errors.push(...problems);
      continue;
    }
    const full: ImportTask = {
      ...task,
      ...(parentSource && { parentSource }),
      ...(dueTime && { due_time: dueTime }),
      ...(recurrence && { recurrence }),
    };
    ancestry.length = indent - 1;
    ancestry.push(where);
    last = { task: full, notes: [] };
    pending.push(last);
  }

  for (const { task, notes } of pending) {
    if (notes.length === 0) {
      tasks.push(task);
      continue;
    }
    const description = [task.description, ...notes.map((note) => `Comment: ${note}`)].filter(Boolean).join('\n\n');
    if ([...description].length > 10_000) {
      warnings.push({ field: task.source, message: 'comments cut short: a description holds at most 10,000 characters' });
    }
    tasks.push({ ...task, description: [...description].slice(0, 10_000).join('') });
  }
  return { tasks, warnings, errors };
}
