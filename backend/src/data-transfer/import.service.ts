import { createHash } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { Tokenizer, TokenParser } from '@streamparser/json';
import { parse as parseCsv } from 'csv-parse/sync';
import { IdempotencyKeyReusedException, InvalidTokenException, ValidationFailedException } from '../common/api-errors.js';
import type { ErrorDetail } from '../common/error-body.js';
import { EventLog } from '../events/event-log.js';
import { IDEMPOTENCY_KEY_TTL_SECONDS } from '../idempotency/idempotency.service.js';
import { DataTransferRepository } from './data-transfer.repository.js';
import type { ImportPreviewTask, ImportResultResponse } from './dto/import.response.js';
import {
  CSV_COLUMNS,
  EXPORT_SCHEMA_VERSION,
  type ImportTask,
  type ImportWarning,
  readTagsCell,
  unescapeCell,
  validateTask,
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

interface Parsed {
  tasks: ImportTask[];
  warnings: ImportWarning[];
  errors: ErrorDetail[];
}

/**
 * Imports an upload all or nothing: it is read and checked whole first (a
 * refusal lists every problem, by line or JSON path, up to 50), then
 * created in one transaction. `dry_run` stops after the check and says what
 * would be created. An Idempotency-Key makes a retried upload create
 * nothing twice (the key is claimed in the same transaction).
 */
@Injectable()
export class ImportService {
  private readonly logger = new Logger('Import');

  constructor(
    private readonly data: DataTransferRepository,
    private readonly events: EventLog,
  ) {}

  async import(userId: string, format: ImportFormat, body: Buffer, options: { dryRun: boolean; idempotencyKey?: string }): Promise<ImportOutcome> {
    const timeZone = await this.data.timeZoneOf(userId);
    if (timeZone === undefined) throw new InvalidTokenException();
    const parsed =
      format === 'json' ? readJson(body) : format === 'csv' ? readCsv(body) : readTodoistCsv(body, todayIn(timeZone));
    if (parsed.errors.length > 0) {
      throw new ValidationFailedException(
        parsed.errors.slice(0, ERRORS_LISTED),
        `Import refused, nothing was imported: ${parsed.errors.length} problem(s)${parsed.errors.length > ERRORS_LISTED ? `, the first ${ERRORS_LISTED} listed` : ''}`,
      );
    }
    const tasks = fitToSchema(parsed.tasks, parsed.warnings);
    const result = (dryRun: boolean): ImportResultResponse => ({
      dry_run: dryRun,
      format,
      created: { tasks: tasks.length },
      warnings: parsed.warnings.slice(0, WARNINGS_LISTED),
      ...(parsed.warnings.length > WARNINGS_LISTED && { warnings_not_listed: parsed.warnings.length - WARNINGS_LISTED }),
      ...(dryRun && { preview: parsed.tasks.slice(0, PREVIEW_TASKS).map(preview) }),
    });
    if (options.dryRun) return { result: result(true), replayed: false };

    const key = options.idempotencyKey;
    const requestHash = createHash('sha256').update(`${format}\n`).update(body).digest('hex');
    const outcome = await this.data.transaction(async (manager): Promise<ImportOutcome> => {
      if (key !== undefined) {
        const claim = await this.data.claimKey(manager, userId, key, requestHash, IDEMPOTENCY_KEY_TTL_SECONDS);
        if (!claim.claimed) {
          if (claim.requestHash !== requestHash) throw new IdempotencyKeyReusedException();
          return { result: claim.response as ImportResultResponse, replayed: true };
        }
      }
      // Events for the new tasks, all at once (the outbox trigger stands aside for these inserts).
      await this.events.deferCreations(manager);
      const ids = await this.data.insertTasks(manager, userId, tasks);
      await this.events.recordCreations(manager, userId, ids);
      const done = result(false);
      if (key !== undefined) await this.data.storeKeyResponse(manager, userId, key, done);
      return { result: done, replayed: false };
    });
    if (!outcome.replayed) this.logger.log(`User ${userId} imported ${tasks.length} task(s) from ${format}`);
    return outcome;
  }
}

/**
 * What this schema cannot hold yet is kept in words: a task's time of day,
 * its repetition and its parent arrive with due times, recurrence and
 * subtasks, and then go into their own fields here instead.
 */
function fitToSchema(tasks: ImportTask[], warnings: ImportWarning[]): ImportTask[] {
  return tasks.map((task) => {
    const notes: string[] = [];
    if (task.recurrence) notes.push(`Repeats: ${task.recurrence.rrule}${task.recurrence.from === 'completion' ? ' (from completion)' : ''}`);
    if (task.due_time) notes.push(`Due at: ${task.due_time}`);
    if (task.parentSource) notes.push(`Subtask of the task at ${task.parentSource}`);
    if (notes.length === 0) return task;
    warnings.push({
      field: task.source,
      message: `${[task.recurrence && 'repetition', task.due_time && 'time of day', task.parentSource && 'parent task'].filter(Boolean).join(', ')} kept in the description (not stored as such yet)`,
    });
    const description = [task.description, ...notes].filter(Boolean).join('\n\n');
    return { ...task, description: [...description].slice(0, 10_000).join('') };
  });
}

function preview(task: ImportTask): ImportPreviewTask {
  return {
    source: task.source,
    title: task.title,
    description: task.description,
    status: task.status,
    priority: task.priority,
    tags: task.tags,
    due_date: task.due_date,
    ...(task.due_time && { due_time: task.due_time }),
    ...(task.recurrence && { recurrence: { ...task.recurrence } }),
    ...(task.parentSource && { parent: task.parentSource }),
  };
}

/** YYYY-MM-DD now in `timeZone`. */
function todayIn(timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

/** Our JSON export, read as a stream of records from the buffer: the document is never held as one object. */
export function readJson(body: Buffer): Parsed {
  const parsed: Parsed = { tasks: [], warnings: [], errors: [] };
  let schemaVersion: unknown;
  let sawTasks = false;
  // The two halves of the parser wired by hand, to know the offset of the last token when the document breaks.
  const tokenizer = new Tokenizer();
  const parser = new TokenParser({ paths: ['$.schema_version', '$.tasks', '$.tasks.*'], keepStack: false });
  let offset = 0;
  tokenizer.onToken = (token) => {
    offset = token.offset;
    parser.write(token);
  };
  parser.onValue = ({ value, key, stack }) => {
    if (stack.length === 1 && key === 'schema_version') schemaVersion = value;
    else if (stack.length === 1 && key === 'tasks') {
      sawTasks = true;
      if (!Array.isArray(value)) parsed.errors.push({ field: '$.tasks', message: 'tasks must be an array' });
    } else if (stack.length === 2 && typeof key === 'number') {
      const source = `$.tasks[${key}]`;
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        parsed.errors.push({ field: source, message: 'each task must be an object' });
        return;
      }
      const { task, errors } = validateTask(value as Record<string, unknown>, (field) => `${source}.${field}`, source);
      if (task) parsed.tasks.push(task);
      else parsed.errors.push(...errors);
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
    return { tasks: [], warnings: [], errors: [{ field: jsonErrorPlace(body, failure.at), message: `Malformed JSON: ${failure.error.message}` }] };
  }
  if (schemaVersion === undefined) parsed.errors.unshift({ field: '$.schema_version', message: 'schema_version is required: is this an Evolution of Todo export?' });
  else if (schemaVersion !== EXPORT_SCHEMA_VERSION) {
    parsed.errors.unshift({ field: '$.schema_version', message: `schema_version must be ${EXPORT_SCHEMA_VERSION} (this server reads version ${EXPORT_SCHEMA_VERSION})` });
  }
  if (!sawTasks) parsed.warnings.push({ field: '$.tasks', message: 'no tasks section: nothing to import' });
  return parsed;
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
  const parsed: Parsed = { tasks: [], warnings: [], errors: [] };
  const records = parseCsvRecords(body, ['title'], CSV_COLUMNS, parsed);
  if (!records || parsed.errors.length > 0) return parsed;
  for (const { record, info } of records) {
    const source = `line ${info.lines}`;
    const cell = (name: string) => {
      const value = record[name];
      return value === undefined || value === '' ? undefined : unescapeCell(value);
    };
    const input: Record<string, unknown> = { title: cell('title') ?? '' };
    for (const column of ['id', 'description', 'status', 'priority', 'due_date', 'created_at', 'updated_at']) {
      const value = cell(column);
      if (value !== undefined) input[column] = value;
    }
    if (record.tags) input.tags = readTagsCell(record.tags);
    const { task, errors } = validateTask(input, (field) => `${source}, ${field.split('.')[0]}`, source);
    if (task) parsed.tasks.push(task);
    else parsed.errors.push(...errors);
  }
  return parsed;
}

const TODOIST_COLUMNS = ['TYPE', 'CONTENT', 'DESCRIPTION', 'PRIORITY', 'INDENT', 'AUTHOR', 'RESPONSIBLE', 'DATE', 'DATE_LANG', 'TIMEZONE', 'DURATION', 'DURATION_UNIT', 'DEADLINE', 'DEADLINE_LANG'];

export function readTodoistCsv(body: Buffer, today: string): Parsed {
  const parsed: Parsed = { tasks: [], warnings: [], errors: [] };
  const records = parseCsvRecords(body, ['TYPE', 'CONTENT'], TODOIST_COLUMNS, parsed);
  if (!records || parsed.errors.length > 0) return parsed;
  const result = readTodoist(
    records.map(({ record, info }) => ({ line: info.lines, fields: record })),
    today,
  );
  return { tasks: result.tasks, warnings: [...parsed.warnings, ...result.warnings], errors: result.errors };
}
