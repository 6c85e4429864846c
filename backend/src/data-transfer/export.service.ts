import { pipeline, Readable } from 'node:stream';
import { Injectable, Logger } from '@nestjs/common';
import { stringify } from 'csv-stringify';
import { InvalidTokenException } from '../common/api-errors.js';
import { DataTransferRepository, type ExportedProject, type ExportedTask, type ExportSnapshot } from './data-transfer.repository.js';
import { CSV_COLUMNS, escapeCell, EXPORT_SCHEMA_VERSION, projectCell, tagsCell } from './import-records.js';

export type ExportFormat = 'json' | 'csv';

/** A client that takes nothing for this long loses its export (and its database snapshot is let go). */
export const EXPORT_STALL_MS = 60_000;

export interface ExportDownload {
  readonly stream: Readable;
  readonly contentType: string;
  readonly filename: string;
}

/**
 * An export of everything the user owns, streamed: the snapshot is read a
 * page at a time (EXPORT_PAGE_ROWS), each page written once the client has
 * taken the one before, so memory stays flat whatever the account's size.
 *
 * The JSON document (ExportDocument) is `schema_version`, `exported_at`,
 * `account` and `settings`, then the sections `projects` and `views` (read
 * whole: at most 1,000 and 200) and `tasks`, streamed, the trash included.
 * Records refer to each other by their ids. The CSV is the tasks outside the
 * trash, a project named by its path of names.
 */
@Injectable()
export class ExportService {
  private readonly logger = new Logger('Export');

  constructor(private readonly data: DataTransferRepository) {}

  async export(userId: string, format: ExportFormat): Promise<ExportDownload> {
    const snapshot = await this.data.openSnapshot(userId);
    let account;
    try {
      account = await snapshot.account();
    } catch (error) {
      await snapshot.close();
      throw error;
    }
    if (!account) {
      await snapshot.close();
      throw new InvalidTokenException();
    }
    const date = new Date().toISOString().slice(0, 10);
    const source =
      format === 'json'
        ? Readable.from(jsonDocument(snapshot, { email: account.email, time_zone: account.time_zone, created_at: account.created_at }), {
            objectMode: false,
          })
        : // pipeline: a client that leaves destroys the reader of the snapshot too.
          pipeline(
            Readable.from(taskRecords(snapshot, await this.projectPaths(snapshot))),
            stringify({
              bom: true,
              header: true,
              columns: [...CSV_COLUMNS],
              record_delimiter: 'windows',
              cast: { string: (value) => escapeCell(value) },
            }),
            () => undefined,
          );
    const stream = this.watch(source, snapshot);
    return {
      stream,
      contentType: format === 'json' ? 'application/json; charset=utf-8' : 'text/csv; charset=utf-8; header=present',
      filename: `evolution-of-todo-${date}.${format}`,
    };
  }

  private async projectPaths(snapshot: ExportSnapshot): Promise<Map<string, string[]>> {
    try {
      return pathsOf(await snapshot.projects());
    } catch (error) {
      await snapshot.close();
      throw error;
    }
  }

  /** Closes the snapshot however the stream ends, and ends a stream whose client has stopped reading. */
  private watch(stream: Readable, snapshot: ExportSnapshot): Readable {
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => stream.destroy(new Error('the client stopped reading the export')), EXPORT_STALL_MS).unref();
    };
    stream.on('data', arm);
    arm();
    let closed = false;
    const close = () => {
      clearTimeout(timer);
      if (closed) return;
      closed = true;
      snapshot.close().catch((error: Error) => this.logger.warn(`Closing an export snapshot failed: ${error.message}`));
    };
    stream.once('end', close);
    stream.once('close', close);
    stream.once('error', (error) => {
      this.logger.warn(`Export ended early: ${error.message}`);
      close();
    });
    return stream;
  }
}

async function* jsonDocument(snapshot: ExportSnapshot, account: { email: string; time_zone: string; created_at: string }): AsyncGenerator<string> {
  yield `{"schema_version":${EXPORT_SCHEMA_VERSION},"exported_at":${JSON.stringify(new Date().toISOString())},` +
    `"account":${JSON.stringify({ email: account.email, created_at: account.created_at })},` +
    `"settings":${JSON.stringify({ time_zone: account.time_zone })},\n"projects":[`;
  yield (await snapshot.projects()).map((project) => `\n${JSON.stringify(project)}`).join(',');
  yield '\n],\n"views":[';
  yield (await snapshot.views()).map((view) => `\n${JSON.stringify(view)}`).join(',');
  yield '\n],\n"tasks":[';
  let first = true;
  for await (const page of snapshot.tasks()) {
    let text = '';
    for (const task of page) {
      text += `${first ? '' : ','}\n${JSON.stringify(task)}`;
      first = false;
    }
    yield text;
  }
  yield '\n]}\n';
}

/** Each project's path of names from the top. */
function pathsOf(projects: readonly ExportedProject[]): Map<string, string[]> {
  const byId = new Map(projects.map((project) => [project.id, project]));
  const paths = new Map<string, string[]>();
  for (const project of projects) {
    const path: string[] = [];
    for (let at: ExportedProject | undefined = project; at; at = at.parent_id ? byId.get(at.parent_id) : undefined) path.unshift(at.name);
    paths.set(project.id, path);
  }
  return paths;
}

async function* taskRecords(snapshot: ExportSnapshot, paths: ReadonlyMap<string, string[]>): AsyncGenerator<Record<string, string>> {
  for await (const page of snapshot.tasks(true)) {
    for (const task of page) yield csvRecord(task, paths);
  }
}

function csvRecord(task: ExportedTask, paths: ReadonlyMap<string, string[]>): Record<(typeof CSV_COLUMNS)[number], string> {
  return {
    id: task.id,
    title: task.title,
    description: task.description ?? '',
    status: task.status,
    priority: task.priority ?? '',
    tags: tagsCell(task.tags),
    due_date: task.due_date ?? '',
    created_at: task.created_at,
    updated_at: task.updated_at,
    project: projectCell(paths.get(task.project_id) ?? []),
    parent_id: task.parent_id ?? '',
    position: String(task.position),
    due_time: task.due_time ?? '',
    recurrence_rule: task.recurrence?.rrule ?? '',
    recurrence_from: task.recurrence?.from ?? '',
  };
}
