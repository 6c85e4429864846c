import { createHash, randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { Tokenizer, TokenParser } from '@streamparser/json';
import { parse as parseCsv } from 'csv-parse/sync';
import { InvalidTokenException, ProjectAccessDeniedException, ValidationFailedException } from '../common/api-errors.js';
import type { ErrorDetail } from '../common/error-body.js';
import { EventLog } from '../events/event-log.js';
import { IdempotencyService } from '../idempotency/idempotency.service.js';
import { MAX_PROJECTS } from '../projects/projects.service.js';
import { canonicalTimeZone } from '../users/time-zone.js';
import { MAX_VIEWS } from '../views/views.service.js';
import { DataTransferRepository } from './data-transfer.repository.js';
import type { ImportPreviewTask, ImportResultResponse } from './dto/import.response.js';
import { type ImportPlan, planImport } from './import-plan.js';
import {
  CSV_COLUMNS,
  type ImportProject,
  type ImportTask,
  type ImportView,
  type ImportWarning,
  READABLE_SCHEMA_VERSIONS,
  readProjectCell,
  readTagsCell,
  unescapeCell,
  validateProject,
  validateTask,
  validateView,
} from './import-records.js';
import { readTodoist } from './todoist.js';

export type ImportFormat = 'json' | 'csv' | 'todoist';

/** The largest upload, in bytes. */
export const IMPORT_BODY_LIMIT = 20 * 1024 * 1024;
/** Problems listed in a refusal; enough to fix a file, bounded whatever the file holds. */
const ERRORS_LISTED = 50;
const WARNINGS_LISTED = 1000;
const PREVIEW_TASKS = 100;

export interface ImportOutcome {
  readonly result: ImportResultResponse;
  readonly replayed: boolean;
}

export interface Parsed {
  projects: ImportProject[];
  views: ImportView[];
  tasks: ImportTask[];
  /** `settings.time_zone` of a JSON export. */
  timeZone?: string;
  warnings: ImportWarning[];
  errors: ErrorDetail[];
}

const emptyParse = (): Parsed => ({ projects: [], views: [], tasks: [], warnings: [], errors: [] });

/**
 * Imports an upload all or nothing: it is read and checked whole first (a
 * refusal lists every problem, by line or JSON path, up to 50), then its
 * references are resolved against the account (import-plan.ts) and
 * everything is created in one transaction. `dry_run` stops before writing
 * and says what would be created. An Idempotency-Key makes a retried upload
 * create nothing twice (the key is claimed in the same transaction).
 */
@Injectable()
export class ImportService {
  private readonly logger = new Logger('Import');

  constructor(
    private readonly data: DataTransferRepository,
    private readonly events: EventLog,
    private readonly idempotency: IdempotencyService,
  ) {}

  async import(
    userId: string,
    format: ImportFormat,
    body: Buffer,
    options: { dryRun: boolean; idempotencyKey?: string; projectId?: string },
  ): Promise<ImportOutcome> {
    const timeZone = await this.data.timeZoneOf(userId);
    if (timeZone === undefined) throw new InvalidTokenException();
    const parsed = format === 'json' ? readJson(body) : format === 'csv' ? readCsv(body) : readTodoistCsv(body, todayIn(timeZone));
    refuseIfAny(parsed.errors);
    const newTimeZone = parsed.timeZone !== undefined && parsed.timeZone !== timeZone ? parsed.timeZone : undefined;

    const plan = async (manager: Parameters<Parameters<DataTransferRepository['transaction']>[0]>[0]): Promise<ImportPlan> => {
      const projects = await this.data.lockProjects(manager, userId);
      const wanted = options.projectId?.toLowerCase();
      const target = projects.find((p) => (wanted === undefined ? p.is_inbox : p.id === wanted));
      // Not yours and missing are one answer, as on every project route.
      if (!target) throw new ProjectAccessDeniedException();
      const viewNameKeys = await this.data.viewNameKeys(manager, userId);
      const planned = planImport(
        { projects: parsed.projects, views: parsed.views, tasks: parsed.tasks, lenientRecurrence: format === 'todoist' },
        {
          projects,
          targetProjectId: target.id,
          viewNameKeys,
          lastViewPosition: await this.data.lastViewPosition(manager, userId),
          projectCount: projects.length,
          viewCount: viewNameKeys.size,
          limits: { projects: MAX_PROJECTS, views: MAX_VIEWS },
          timeZone: newTimeZone ?? timeZone,
          newId: randomUUID,
        },
      );
      refuseIfAny(planned.errors);
      return planned;
    };
    const result = (planned: ImportPlan, dryRun: boolean): ImportResultResponse => {
      const warnings = [...parsed.warnings, ...planned.warnings];
      if (newTimeZone) warnings.push({ field: '$.settings.time_zone', message: `your time zone ${dryRun ? 'would be' : 'is now'} ${newTimeZone} (was ${timeZone})` });
      return {
        dry_run: dryRun,
        format,
        created: { projects: planned.projects.length, views: planned.views.length, tasks: planned.tasks.length },
        warnings: warnings.slice(0, WARNINGS_LISTED),
        ...(warnings.length > WARNINGS_LISTED && { warnings_not_listed: warnings.length - WARNINGS_LISTED }),
        ...(dryRun && { preview: preview(parsed.tasks, planned) }),
      };
    };

    if (options.dryRun) {
      // Read in a transaction of its own that writes nothing: the plan needs the account's projects and views.
      const planned = await this.data.transaction((manager) => plan(manager));
      return { result: result(planned, true), replayed: false };
    }
    const requestHash = createHash('sha256').update(`${format}\n${options.projectId ?? ''}\n`).update(body).digest('hex');
    const outcome = await this.idempotency.run(userId, options.idempotencyKey, 'POST /api/me/import', { sha256: requestHash }, async (manager) => {
      const planned = await plan(manager);
      if (newTimeZone) await this.data.setTimeZone(manager, userId, newTimeZone);
      await this.data.insertProjects(manager, userId, planned.projects);
      // Events for the new tasks, all at once (the outbox trigger stands aside for these inserts).
      await this.events.deferCreations(manager);
      const ages = new Map(planned.announced.map((id, i) => [id, planned.announced.length - i - 1]));
      await this.data.insertTasks(
        manager,
        userId,
        planned.tasks.map((task) => ({ ...task, age_ms: ages.get(task.id) ?? 0 })),
      );
      await this.events.recordCreations(manager, userId, planned.announced);
      await this.data.insertViews(manager, userId, planned.views);
      return result(planned, false);
    });
    if (!outcome.replayed) {
      const { created } = outcome.body;
      this.logger.log(`User ${userId} imported ${created.tasks} task(s), ${created.projects} project(s), ${created.views} view(s) from ${format}`);
    }
    return { result: outcome.body, replayed: outcome.replayed };
  }
}

function refuseIfAny(errors: ErrorDetail[]): void {
  if (errors.length === 0) return;
  throw new ValidationFailedException(
    errors.slice(0, ERRORS_LISTED),
    `Import refused, nothing was imported: ${errors.length} problem(s)${errors.length > ERRORS_LISTED ? `, the first ${ERRORS_LISTED} listed` : ''}`,
  );
}

function preview(tasks: readonly ImportTask[], planned: ImportPlan): ImportPreviewTask[] {
  const sourceOf = new Map(planned.uploadOrder.map((row, i) => [row.id, tasks[i].source]));
  return planned.uploadOrder.slice(0, PREVIEW_TASKS).map((row, i) => ({
    source: tasks[i].source,
    title: row.title,
    description: row.description,
    status: row.status,
    priority: row.priority,
    tags: row.tags,
    due_date: row.due_date,
    project: planned.projectPathOf.get(row.project_id)?.join(' / ') ?? '',
    ...(row.due_time && { due_time: row.due_time }),
    ...(row.recurrence && { recurrence: { rrule: row.recurrence.rrule, from: row.recurrence.from as 'due' | 'completion' } }),
    ...(row.parent_id && { parent: sourceOf.get(row.parent_id) }),
    ...(row.deleted_at && { in_trash: true }),
  }));
}

/** YYYY-MM-DD now in `timeZone`. */
function todayIn(timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

const SECTIONS = ['projects', 'views', 'tasks'] as const;

/** Our JSON export, read as a stream of records from the buffer: the document is never held as one object. */
export function readJson(body: Buffer): Parsed {
  const parsed = emptyParse();
  let schemaVersion: unknown;
  const seen = new Set<string>();
  // The two halves of the parser wired by hand, to know the offset of the last token when the document breaks.
  const tokenizer = new Tokenizer();
  const parser = new TokenParser({
    paths: ['$.schema_version', '$.settings', ...SECTIONS.flatMap((section) => [`$.${section}`, `$.${section}.*`])],
    keepStack: false,
  });
  let offset = 0;
  tokenizer.onToken = (token) => {
    offset = token.offset;
    parser.write(token);
  };
  parser.onValue = ({ value, key, stack }) => {
    if (stack.length === 1 && key === 'schema_version') schemaVersion = value;
    else if (stack.length === 1 && key === 'settings') readSettings(value, parsed);
    else if (stack.length === 1 && typeof key === 'string' && (SECTIONS as readonly string[]).includes(key)) {
      seen.add(key);
      if (!Array.isArray(value)) parsed.errors.push({ field: `$.${key}`, message: `${key} must be an array` });
    } else if (stack.length === 2 && typeof key === 'number') {
      const section = stack[1].key as (typeof SECTIONS)[number];
      const source = `$.${section}[${key}]`;
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        parsed.errors.push({ field: source, message: `each ${section.slice(0, -1)} must be an object` });
        return;
      }
      const record = value as Record<string, unknown>;
      const where = (field: string) => `${source}.${field}`;
      if (section === 'tasks') {
        const { task, errors } = validateTask(record, where, source);
        if (task) parsed.tasks.push(task);
        else parsed.errors.push(...errors);
      } else if (section === 'projects') {
        const { project, errors } = validateProject(record, where, source);
        if (project) parsed.projects.push(project);
        else parsed.errors.push(...errors);
      } else {
        const { view, errors } = validateView(record, where, source);
        if (view) parsed.views.push(view);
        else parsed.errors.push(...errors);
      }
    }
  };
  let failure: { error: Error; at: number } | undefined;
  tokenizer.onError = (error: Error) => {
    failure ??= { error, at: offset };
  };
  parser.onError = (error: Error) => {
    failure ??= { error, at: offset };
  };
  const CHUNK = 64 * 1024;
  for (let start = 0; start < body.length && !failure; start += CHUNK) tokenizer.write(body.subarray(start, start + CHUNK));
  if (!failure && !tokenizer.isEnded) tokenizer.end();
  if (!failure && !parser.isEnded) failure = { error: new Error('the document ends too early'), at: body.length };
  if (failure) {
    return { ...emptyParse(), errors: [{ field: jsonErrorPlace(body, failure.at), message: `Malformed JSON: ${failure.error.message}` }] };
  }
  if (schemaVersion === undefined) parsed.errors.unshift({ field: '$.schema_version', message: 'schema_version is required: is this an Evolution of Todo export?' });
  else if (typeof schemaVersion !== 'number' || !READABLE_SCHEMA_VERSIONS.includes(schemaVersion)) {
    parsed.errors.unshift({ field: '$.schema_version', message: `schema_version must be ${READABLE_SCHEMA_VERSIONS.join(' or ')} (the versions this server reads)` });
  } else if (schemaVersion === 1 && (parsed.projects.length > 0 || parsed.views.length > 0)) {
    parsed.errors.unshift({ field: '$.schema_version', message: 'a version 1 export holds tasks only: projects and views need schema_version 2' });
  }
  if (!seen.has('tasks')) parsed.warnings.push({ field: '$.tasks', message: 'no tasks section: no tasks to import' });
  return parsed;
}

function readSettings(value: unknown, parsed: Parsed): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    parsed.errors.push({ field: '$.settings', message: 'settings must be an object' });
    return;
  }
  for (const [key, setting] of Object.entries(value)) {
    if (key !== 'time_zone') {
      parsed.warnings.push({ field: `$.settings.${key}`, message: 'not a setting this server knows: left out' });
      continue;
    }
    const zone = typeof setting === 'string' ? canonicalTimeZone(setting.trim()) : undefined;
    if (zone === undefined) parsed.errors.push({ field: '$.settings.time_zone', message: 'time_zone must be an IANA time zone name, such as Europe/Berlin or UTC' });
    else parsed.timeZone = zone;
  }
}

/** "line 3, column 7" for a byte offset of the upload. */
function jsonErrorPlace(body: Buffer, offset: number): string {
  const before = body.subarray(0, offset).toString('utf8');
  const lines = before.split('\n');
  return `line ${lines.length}, column ${lines[lines.length - 1].length + 1}`;
}

interface CsvRecord {
  record: Record<string, string>;
  info: { lines: number };
}

function parseCsvRecords(body: Buffer, required: readonly string[], known: readonly string[], parsed: Parsed): CsvRecord[] | undefined {
  let header: string[] = [];
  try {
    return parseCsv(body, {
      bom: true,
      columns: (names: string[]) => {
        header = names.map((name) => name.trim());
        return header;
      },
      skip_empty_lines: true,
      info: true,
      relax_quotes: false,
    }) as CsvRecord[];
  } catch (error) {
    const { lines, message } = error as Error & { lines?: number };
    parsed.errors.push({ field: lines ? `line ${lines}` : 'line 1', message: `Malformed CSV: ${message.replace(/^Invalid Record Length: /, '')}` });
    return undefined;
  } finally {
    const missing = required.filter((column) => !header.includes(column));
    if (header.length > 0 && missing.length > 0) {
      parsed.errors.unshift({ field: 'line 1', message: `the header must name the column(s) ${missing.join(', ')}` });
    }
    const unknown = header.filter((column) => column && !known.includes(column));
    if (unknown.length > 0) parsed.warnings.push({ field: 'line 1', message: `column(s) ${unknown.join(', ')} are not read: left out` });
  }
}

/** Our CSV export (the columns of CSV_COLUMNS, found by name). */
export function readCsv(body: Buffer): Parsed {
  const parsed = emptyParse();
  const records = parseCsvRecords(body, ['title'], CSV_COLUMNS, parsed);
  if (!records || parsed.errors.length > 0) return parsed;
  for (const { record, info } of records) {
    const source = `line ${info.lines}`;
    const cell = (name: string) => {
      const value = record[name];
      return value === undefined || value === '' ? undefined : unescapeCell(value);
    };
    const input: Record<string, unknown> = { title: cell('title') ?? '' };
    for (const column of ['id', 'description', 'status', 'priority', 'due_date', 'due_time', 'parent_id', 'created_at', 'updated_at']) {
      const value = cell(column);
      if (value !== undefined) input[column] = value;
    }
    if (record.tags) input.tags = readTagsCell(record.tags);
    const position = cell('position');
    if (position !== undefined) input.position = /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(position.trim()) ? Number(position) : position;
    const rule = cell('recurrence_rule');
    const from = cell('recurrence_from');
    if (rule !== undefined) input.recurrence = { rrule: rule, from: from ?? 'due' };
    else if (from !== undefined) parsed.warnings.push({ field: `${source}, recurrence_from`, message: 'recurrence_from without recurrence_rule: left out' });
    const { task, errors } = validateTask(input, (field) => `${source}, ${field.split('.')[0]}`, source);
    if (!task) {
      parsed.errors.push(...errors);
      continue;
    }
    const project = cell('project');
    parsed.tasks.push(project === undefined ? task : { ...task, projectPath: readProjectCell(project) });
  }
  return parsed;
}

const TODOIST_COLUMNS = ['TYPE', 'CONTENT', 'DESCRIPTION', 'PRIORITY', 'INDENT', 'AUTHOR', 'RESPONSIBLE', 'DATE', 'DATE_LANG', 'TIMEZONE', 'DURATION', 'DURATION_UNIT', 'DEADLINE', 'DEADLINE_LANG'];

export function readTodoistCsv(body: Buffer, today: string): Parsed {
  const parsed = emptyParse();
  const records = parseCsvRecords(body, ['TYPE', 'CONTENT'], TODOIST_COLUMNS, parsed);
  if (!records || parsed.errors.length > 0) return parsed;
  const result = readTodoist(
    records.map(({ record, info }) => ({ line: info.lines, fields: record })),
    today,
  );
  return { ...emptyParse(), tasks: result.tasks, warnings: [...parsed.warnings, ...result.warnings], errors: result.errors };
}
