import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { ErrorDetail } from '../common/error-body.js';
import { toErrorDetails } from '../common/validation.js';
import type { RecurrenceFrom } from '../tasks/recurrence.js';
import type { TaskPriority, TaskStatus } from '../tasks/task.entity.js';
import { ImportProjectDto, ImportTaskDto, ImportViewDto } from './dto/import-task.dto.js';

/** The version of the export format this build writes. */
export const EXPORT_SCHEMA_VERSION = 2;
/** The versions it reads: 1 held tasks only (no projects, subtasks, recurrence, trash or views). */
export const READABLE_SCHEMA_VERSIONS: readonly number[] = [1, 2];

/**
 * The columns of the CSV export, in order: the documented header. A reader
 * finds columns by name, so files of the first version (up to updated_at)
 * stay readable. `project` is the path of project names ("Work / Reports"),
 * `parent_id` the `id` of the parent task's row.
 */
export const CSV_COLUMNS = [
  'id',
  'title',
  'description',
  'status',
  'priority',
  'tags',
  'due_date',
  'created_at',
  'updated_at',
  'project',
  'parent_id',
  'position',
  'due_time',
  'recurrence_rule',
  'recurrence_from',
] as const;

export interface ImportRecurrence {
  readonly rrule: string;
  readonly from: RecurrenceFrom;
  /** The series' first due date; the task's due date when absent. */
  readonly start?: string;
  /** Which occurrence this is; 1 when absent. */
  readonly n?: number;
}

/** A task the import will create, and where in the upload it came from. */
export interface ImportTask {
  /** "$.tasks[3]" or "line 5": where errors and warnings about it point. */
  readonly source: string;
  /** Its id in the upload, if it had one. */
  readonly sourceId?: string;
  /** The `id` of its parent in the upload (JSON, CSV). */
  readonly parentRef?: string;
  /** The `source` of its parent task (Todoist INDENT). */
  readonly parentSource?: string;
  /** The `id` of its project in the upload (JSON). */
  readonly projectRef?: string;
  /** The names of its project from the top (CSV). */
  readonly projectPath?: readonly string[];
  readonly title: string;
  readonly description: string | null;
  readonly status: TaskStatus;
  readonly priority: TaskPriority | null;
  readonly tags: string[];
  readonly due_date: string | null;
  readonly due_time?: string;
  readonly position?: number;
  readonly recurrence?: ImportRecurrence;
  readonly seriesRef?: string;
  readonly nextOccurrenceRef?: string;
  readonly deleted_at?: string;
  readonly deletedWithRef?: string;
  readonly created_at?: string;
  readonly updated_at?: string;
}

export interface ImportProject {
  readonly source: string;
  readonly sourceId: string;
  readonly name: string;
  readonly color: string | null;
  readonly parentRef?: string;
  readonly position?: number;
  readonly isInbox: boolean;
  readonly created_at?: string;
}

export interface ImportView {
  readonly source: string;
  readonly sourceId?: string;
  readonly name: string;
  readonly query: Record<string, unknown>;
  readonly position?: number;
  readonly created_at?: string;
  readonly updated_at?: string;
}

export interface ImportWarning {
  readonly field: string;
  readonly message: string;
}

type Where = (field: string) => string;

function check<T extends object>(cls: new () => T, input: Record<string, unknown>, where: Where): { dto?: T; errors: ErrorDetail[] } {
  const dto = plainToInstance(cls, input, { enableImplicitConversion: false });
  const problems = toErrorDetails(validateSync(dto, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true }));
  if (problems.length > 0) return { errors: problems.map((p) => ({ field: where(p.field), message: p.message })) };
  return { dto, errors: [] };
}

const present = (value: string | null | undefined): string | undefined => (value === undefined || value === null || value === '' ? undefined : value);

/**
 * Validates one task record exactly as a create is validated (plus the
 * export's own fields). `where(field)` names the place of a problem:
 * `$.tasks[3].title`, `line 5, title`.
 */
export function validateTask(input: Record<string, unknown>, where: Where, source: string): { task?: ImportTask; errors: ErrorDetail[] } {
  const { dto, errors } = check(ImportTaskDto, input, where);
  if (!dto) return { errors };
  const recurrence = dto.recurrence
    ? {
        rrule: dto.recurrence.rrule,
        from: dto.recurrence.from,
        ...(dto.recurrence.start !== undefined && { start: dto.recurrence.start }),
        ...(dto.recurrence.n !== undefined && { n: dto.recurrence.n }),
      }
    : undefined;
  const optional = {
    sourceId: present(dto.id),
    parentRef: present(dto.parent_id),
    projectRef: present(dto.project_id),
    due_time: present(dto.due_time),
    position: dto.position,
    recurrence,
    seriesRef: present(dto.series_id),
    nextOccurrenceRef: present(dto.next_occurrence_id),
    deleted_at: present(dto.deleted_at),
    deletedWithRef: present(dto.deleted_with),
    created_at: present(dto.created_at),
    updated_at: present(dto.updated_at),
  };
  return {
    errors: [],
    task: {
      source,
      title: dto.title,
      description: dto.description ?? null,
      status: dto.status ?? 'todo',
      priority: dto.priority ?? null,
      tags: dto.tags ?? [],
      due_date: dto.due_date ?? null,
      ...(Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined)) as Partial<ImportTask>),
    },
  };
}

export function validateProject(input: Record<string, unknown>, where: Where, source: string): { project?: ImportProject; errors: ErrorDetail[] } {
  const { dto, errors } = check(ImportProjectDto, input, where);
  if (!dto) return { errors };
  if (dto.id === undefined || dto.id === '') return { errors: [{ field: where('id'), message: 'id is required: tasks name their project by it' }] };
  return {
    errors: [],
    project: {
      source,
      sourceId: dto.id,
      name: dto.name,
      color: dto.color ?? null,
      ...(present(dto.parent_id) && { parentRef: dto.parent_id as string }),
      ...(dto.position !== undefined && { position: dto.position }),
      isInbox: dto.is_inbox === true,
      ...(dto.created_at && { created_at: dto.created_at }),
    },
  };
}

export function validateView(input: Record<string, unknown>, where: Where, source: string): { view?: ImportView; errors: ErrorDetail[] } {
  const { dto, errors } = check(ImportViewDto, input, where);
  if (!dto) return { errors };
  return {
    errors: [],
    view: {
      source,
      ...(present(dto.id) && { sourceId: dto.id }),
      name: dto.name,
      // The query as its record holds it (validated above), as a plain object.
      query: JSON.parse(JSON.stringify(dto.query)) as Record<string, unknown>,
      ...(dto.position !== undefined && { position: dto.position }),
      ...(dto.created_at && { created_at: dto.created_at }),
      ...(dto.updated_at && { updated_at: dto.updated_at }),
    },
  };
}

/**
 * Spreadsheets run a cell that starts with = + - @ (or a tab or CR) as a
 * formula: such a cell is written with a leading apostrophe, which they show
 * as text, and the apostrophe is taken off again on import. A value that
 * already starts with apostrophes before such a character gets one more, so
 * the round trip gives back exactly what was exported.
 */
export function escapeCell(value: string): string {
  return /^'*[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export function unescapeCell(value: string): string {
  return /^'+[=+\-@\t\r]/.test(value) ? value.slice(1) : value;
}

/**
 * A list of names in one CSV cell, joined by `separator` to stay readable in
 * a spreadsheet; as a JSON array when a name holds the separator (or the
 * cell would start with `[`), so nothing is lost.
 */
function listCell(names: readonly string[], separator: string): string {
  if (names.some((name) => name.includes(separator.trim())) || names[0]?.startsWith('[')) return JSON.stringify(names);
  return names.join(separator);
}

function readListCell(cell: string, separator: string): string[] {
  const text = cell.trim();
  if (text.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (Array.isArray(parsed) && parsed.every((name) => typeof name === 'string')) return parsed;
    } catch {
      // Not JSON: a name that happens to start with "[".
    }
  }
  return text
    .split(separator.trim())
    .map((name) => name.trim())
    .filter(Boolean);
}

/** Tags in one CSV cell: "work, q3", or a JSON array when a tag holds a comma. */
export const tagsCell = (tags: readonly string[]): string => listCell(tags, ', ');
export const readTagsCell = (cell: string): string[] => readListCell(cell, ',');

/** A project's path in one CSV cell: "Work / Reports", or a JSON array when a name holds a slash. */
export const projectCell = (path: readonly string[]): string => listCell(path, ' / ');
export const readProjectCell = (cell: string): string[] => readListCell(cell, '/');
