import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { ErrorDetail } from '../common/error-body.js';
import { toErrorDetails } from '../common/validation.js';
import type { TaskPriority, TaskStatus } from '../tasks/task.entity.js';
import { ImportTaskDto } from './dto/import-task.dto.js';

/** The version of the export format this build writes and reads. */
export const EXPORT_SCHEMA_VERSION = 1;

/**
 * The columns of the CSV export, in order: the documented header. Projects,
 * subtasks and recurrence add columns at the end (a reader finds columns by
 * name, so older files stay readable).
 */
export const CSV_COLUMNS = ['id', 'title', 'description', 'status', 'priority', 'tags', 'due_date', 'created_at', 'updated_at'] as const;

/** A task the import will create, and where in the upload it came from. */
export interface ImportTask {
  /** "$.tasks[3]" or "line 5": where errors and warnings about it point. */
  readonly source: string;
  /** Its id in the upload, if it had one. */
  readonly sourceId?: string;
  /** The `source` of its parent task (Todoist INDENT), for subtasks. */
  readonly parentSource?: string;
  readonly title: string;
  readonly description: string | null;
  readonly status: TaskStatus;
  readonly priority: TaskPriority | null;
  readonly tags: string[];
  readonly due_date: string | null;
  readonly due_time?: string;
  readonly recurrence?: { readonly rrule: string; readonly from: 'due' | 'completion' };
  readonly created_at?: string;
  readonly updated_at?: string;
}

export interface ImportWarning {
  readonly field: string;
  readonly message: string;
}

/**
 * Validates one task record exactly as a create is validated (plus the
 * export's own fields). `where(field)` names the place of a problem:
 * `$.tasks[3].title`, `line 5, title`.
 */
export function validateTask(
  input: Record<string, unknown>,
  where: (field: string) => string,
  source: string,
): { task?: ImportTask; errors: ErrorDetail[] } {
  const dto = plainToInstance(ImportTaskDto, input, { enableImplicitConversion: false });
  const problems = toErrorDetails(validateSync(dto, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true }));
  if (problems.length > 0) return { errors: problems.map((p) => ({ field: where(p.field), message: p.message })) };
  return {
    errors: [],
    task: {
      source,
      ...(dto.id !== undefined && dto.id !== '' && { sourceId: dto.id }),
      title: dto.title,
      description: dto.description ?? null,
      status: dto.status ?? 'todo',
      priority: dto.priority ?? null,
      tags: dto.tags ?? [],
      due_date: dto.due_date ?? null,
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
 * Tags in one CSV cell: "work, q3" to stay readable in a spreadsheet; as a
 * JSON array when a tag holds a comma or the cell would start with `[`, so
 * nothing is lost.
 */
export function tagsCell(tags: readonly string[]): string {
  if (tags.some((tag) => tag.includes(',')) || tags[0]?.startsWith('[')) return JSON.stringify(tags);
  return tags.join(', ');
}

export function readTagsCell(cell: string): string[] {
  const text = cell.trim();
  if (text.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (Array.isArray(parsed) && parsed.every((tag) => typeof tag === 'string')) return parsed;
    } catch {
      // Not JSON: a tag that happens to start with "[".
    }
  }
  return text
    .split(',')
    .map((tag) => tag.trim())
    .filter(Boolean);
}
