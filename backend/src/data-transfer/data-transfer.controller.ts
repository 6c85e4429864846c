import { Controller, Get, Headers, HttpStatus, Post, Query, Req, Res } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiBearerAuth, ApiExtraModels, ApiOperation, ApiProduces, ApiResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ValidationFailedException } from '../common/api-errors.js';
import { ApiErrors } from '../common/api-errors.decorator.js';
import { type AuthUser, CurrentUser } from '../common/current-user.decorator.js';
import { ApiIdempotencyKey, IDEMPOTENT_REPLAYED_HEADER } from '../common/idempotency-headers.js';
import { RAW_BODY } from '../common/json-body.js';
import { checkIdempotencyKey } from '../common/preconditions.js';
import { ExportDocument } from './dto/export-document.js';
import { ImportResultResponse } from './dto/import.response.js';
import { ExportQuery, ImportQuery } from './dto/transfer.query.js';
import { ExportService } from './export.service.js';
import { ImportService } from './import.service.js';
import { CSV_COLUMNS, EXPORT_SCHEMA_VERSION } from './import-records.js';

const EXPORT_DESCRIPTION = `Streams everything you own, in constant memory whatever its size, from one consistent snapshot.

- \`format=json\`: one document (ExportDocument, \`schema_version\` ${EXPORT_SCHEMA_VERSION}): \`exported_at\`, \`account\`, \`settings\` (your time zone), \`projects\` (parents before their sub-projects, the Inbox marked \`is_inbox\`, with colours and positions), \`views\` (saved views and their queries) and \`tasks\` (oldest first, the trash included: subtasks name their \`parent_id\`, a task its \`project_id\`, a repeating task its \`recurrence\` and \`series_id\`). Records refer to each other by their ids. \`POST /api/me/import?format=json\` reads it back (and version 1, tasks only).
- \`format=csv\`: the tasks outside the trash, one row each, RFC 4180 (CRLF line ends, fields with commas, quotes or line breaks in double quotes), UTF-8 with a byte order mark (so spreadsheet apps read it as UTF-8). Header: \`${CSV_COLUMNS.join(',')}\`. \`tags\` is "a, b" and \`project\` the path of project names "Work / Reports", each a JSON array when a name holds the separator; \`parent_id\` is the \`id\` of the parent's row; a cell that starts with = + - @ gets a leading apostrophe (spreadsheets would run it as a formula), which the import takes off again.

Sent as a download (\`Content-Disposition: attachment\`). Needs a session (not a personal API token).`;

@ApiTags('account')
@ApiBearerAuth()
@Controller('api/me')
export class DataTransferController {
  constructor(
    private readonly exporter: ExportService,
    private readonly importer: ImportService,
  ) {}

  @Get('export')
  @ApiExtraModels(ExportDocument)
  @ApiOperation({ summary: 'Export your data (JSON or CSV), streamed', description: EXPORT_DESCRIPTION })
  @ApiProduces('application/json', 'text/csv')
  @ApiResponse({
    status: 200,
    description: 'The export',
    headers: {
      'Content-Disposition': { description: 'attachment; filename="evolution-of-todo-<date>.<format>"', schema: { type: 'string' } },
    },
    content: {
      'application/json': { schema: { $ref: getSchemaPath(ExportDocument) } },
      'text/csv': { schema: { type: 'string', example: `\ufeff${CSV_COLUMNS.join(',')}\r\n` } },
    },
  })
  @ApiErrors(400, 401, 403)
  async export(@CurrentUser() user: AuthUser, @Query() query: ExportQuery, @Res() reply: FastifyReply): Promise<void> {
    const download = await this.exporter.export(user.id, query.format);
    await reply
      .status(HttpStatus.OK)
      .header('Content-Type', download.contentType)
      .header('Content-Disposition', `attachment; filename="${download.filename}"`)
      .send(download.stream);
  }

  @Post('import')
  @RouteConfig({ [RAW_BODY]: true })
  @ApiOperation({
    summary: 'Import: our JSON or CSV export, or a Todoist CSV project export',
    description:
      'The body is the file itself (at most 20 MB): `Content-Type: application/json` for `format=json`, `text/csv` for `csv` ' +
      'and `todoist`. All or nothing, in one transaction: a refusal (400) lists the problems, each naming its line or JSON path, ' +
      'and creates nothing. `dry_run=true` checks the file and answers what would be created (counts, warnings, the first ' +
      '100 tasks) without creating anything.\n\n' +
      'JSON: projects (nesting, colours, positions; the exported Inbox is your Inbox), saved views, tasks with their project, ' +
      'subtasks, positions, due times, recurrence and series, the trash, and the time zone, all with new ids: an export ' +
      'imported into a new account gives the same data. A project or view whose name you have already is imported as ' +
      '"Name (2)", with a warning. CSV: a row\'s `project` path is found or created, `parent_id` names the parent\'s row. ' +
      'Todoist: INDENT makes subtasks, PRIORITY 1 (p1, the highest) → high, 2 → medium, 3 → low, 4 or empty → none; ' +
      '`@labels` become tags, a section becomes a tag, comments go into the description; a recurring DATE ("every monday") ' +
      'becomes a repetition where it parses and stays in the description, with a warning, where it does not. Tasks that ' +
      'name no project go into `project_id` (your Inbox when absent). created_at and updated_at are kept. With an ' +
      'Idempotency-Key, a retried upload creates nothing twice (the first answer again, with Idempotent-Replayed: true; ' +
      'another file with the same key: 422). Needs a session (not a personal API token).',
    requestBody: {
      description: 'The file: an export (format=json, application/json), our CSV export (format=csv) or a Todoist CSV export (format=todoist), both text/csv',
      required: true,
      content: {
        'application/json': { schema: { $ref: getSchemaPath(ExportDocument) } },
        'text/csv': {
          schema: {
            type: 'string',
            example:
              'TYPE,CONTENT,DESCRIPTION,PRIORITY,INDENT,AUTHOR,RESPONSIBLE,DATE,DATE_LANG,TIMEZONE\r\n' +
              'task,Water the plants @home,,1,1,,,every monday,en,Europe/Berlin\r\n',
          },
        },
      },
    },
  })
  @ApiExtraModels(ExportDocument)
  @ApiIdempotencyKey('1 to 255 printable ASCII characters; ignored on a dry run')
  @ApiResponse({ status: 200, type: ImportResultResponse, description: 'Dry run: what would be created' })
  @ApiResponse({
    status: 201,
    type: ImportResultResponse,
    description: 'Imported',
    headers: { ...IDEMPOTENT_REPLAYED_HEADER },
  })
  @ApiErrors(400, 401, 403, 413, 422)
  async import(
    @CurrentUser() user: AuthUser,
    @Query() query: ImportQuery,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ImportResultResponse> {
    const body = request.body;
    if (!Buffer.isBuffer(body) || body.length === 0) {
      throw new ValidationFailedException([{ field: 'body', message: 'send the file as the request body' }], 'Empty import');
    }
    const contentType = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    const expected = query.format === 'json' ? 'application/json' : 'text/csv';
    if (contentType !== expected) {
      throw new ValidationFailedException([{ field: 'Content-Type', message: `format=${query.format} takes ${expected}` }]);
    }
    const dryRun = query.dry_run === 'true';
    const { result, replayed } = await this.importer.import(user.id, query.format, body, {
      dryRun,
      idempotencyKey: dryRun ? undefined : checkIdempotencyKey(idempotencyKey),
      projectId: query.project_id,
    });
    reply.status(dryRun ? HttpStatus.OK : HttpStatus.CREATED);
    if (replayed) reply.header('Idempotent-Replayed', 'true');
    return result;
  }
}
