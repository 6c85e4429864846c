import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  HttpStatus,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiIdempotencyKey, IDEMPOTENT_REPLAYED_HEADER } from '../common/idempotency-headers.js';
import { PreconditionFailedBody, TASK_ETAG_HEADER } from './dto/precondition-failed.body.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PreconditionFailedException } from '../common/api-errors.js';
import { ApiErrors } from '../common/api-errors.decorator.js';
import { type AuthUser, CurrentUser } from '../common/current-user.decorator.js';
import { Scopes } from '../common/scopes.js';
import { BulkDeleteDto, BulkDeleteResponse, BulkUpdateDto, BulkUpdateResponse } from './dto/bulk.dto.js';
import { CreateTaskDto } from './dto/create-task.dto.js';
import { ListTasksQuery } from './dto/list-tasks.query.js';
import { TaskResponse } from './dto/task.response.js';
import { UpdateTaskDto } from './dto/update-task.dto.js';
import { checkIdempotencyKey, etagOf, noneMatch, parseIfMatch, parseIfNoneMatch } from '../common/preconditions.js';
import { OwnedTask, TaskOwnershipGuard } from './task-ownership.guard.js';
import { type TaskPage, TasksService } from './tasks.service.js';

const IF_NONE_MATCH_ON_WRITE =
  'ETags the task must not be at (weak comparison), e.g. "3"; * means the task must not exist, which an existing task always fails';
const PRECONDITION_FAILED_ON_WRITE = 'The task is at a version If-Match does not name, or one If-None-Match names; nothing changed';

@ApiTags('tasks')
@ApiBearerAuth()
@Controller('api/tasks')
export class TasksController {
  constructor(private readonly tasks: TasksService) {}

  @Post()
  @Scopes('tasks:write')
  @ApiOperation({
    summary: 'Create a task',
    description:
      'Send an Idempotency-Key to make the create safe to retry: for 24 hours, a repeat of the same key with the same ' +
      'body by the same user answers the first response again (same status and task, with Idempotent-Replayed: true) ' +
      'and creates nothing; concurrent repeats create exactly one task. The same key with another body is a 422.',
  })
  @ApiIdempotencyKey('1 to 255 printable ASCII characters, unique per create (a UUID is a good choice)')
  @ApiResponse({
    status: 201,
    type: TaskResponse,
    description: 'Created (or, with Idempotent-Replayed, the stored answer to the same request): the new task',
    headers: {
      Location: { description: 'URL of the new task', schema: { type: 'string' } },
      ...TASK_ETAG_HEADER,
      ...IDEMPOTENT_REPLAYED_HEADER,
    },
  })
  @ApiErrors(400, 401, 413, 422)
  async create(
    @CurrentUser() user: AuthUser,
    @Body() body: CreateTaskDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TaskResponse> {
    const { body: task, replayed } = await this.tasks.create(user.id, body, checkIdempotencyKey(idempotencyKey));
    reply.header('Location', `/api/tasks/${task.id}`).header('ETag', etagOf(task.version));
    if (replayed) reply.header('Idempotent-Replayed', 'true');
    return task;
  }

  @Post('bulk')
  @Scopes('tasks:write')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Change up to 100 tasks at once, all or nothing',
    description:
      'Sets the same fields on every task (each follows the rules of a single PATCH: completing a parent completes its ' +
      'subtasks, completing a recurring task creates its next occurrence, moving a task moves its subtasks), and adds or ' +
      'removes tags. One id that is not yours or is in the trash: 403 and nothing changes. Accepts an Idempotency-Key.',
  })
  @ApiIdempotencyKey('1 to 255 printable ASCII characters: a retry with the same key gets the first answer and changes nothing more')
  @ApiResponse({
    status: 200,
    type: BulkUpdateResponse,
    description: 'Every task after the change, in the order of ids (or, with Idempotent-Replayed, the stored answer)',
    headers: {
      ...IDEMPOTENT_REPLAYED_HEADER,
    },
  })
  @ApiErrors(400, 401, 403, 413, 422)
  async bulkUpdate(
    @CurrentUser() user: AuthUser,
    @Body() body: BulkUpdateDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<BulkUpdateResponse> {
    const { body: result, replayed } = await this.tasks.bulkUpdate(user.id, body, checkIdempotencyKey(idempotencyKey));
    if (replayed) reply.header('Idempotent-Replayed', 'true');
    return result;
  }

  @Post('bulk-delete')
  @Scopes('tasks:write')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Move up to 100 tasks (with their subtasks) to the trash, all or nothing',
    description: 'One id that is not yours or is already in the trash: 403 and nothing changes.',
  })
  @ApiResponse({ status: 200, type: BulkDeleteResponse, description: 'How many tasks went to the trash, subtasks included' })
  @ApiErrors(400, 401, 403, 413)
  bulkDelete(@CurrentUser() user: AuthUser, @Body() body: BulkDeleteDto): Promise<BulkDeleteResponse> {
    return this.tasks.bulkDelete(user.id, body);
  }

  @Get()
  @Scopes('tasks:read')
  @ApiOperation({ summary: "List the caller's tasks: filter, search, sort and page" })
  @ApiResponse({
    status: 200,
    type: [TaskResponse],
    description: 'One page of the tasks that match, in the requested order',
    headers: {
      'X-Total-Count': { description: 'Number of tasks matching the filters', schema: { type: 'integer' } },
      Link: { description: 'rel="next" / rel="prev" page URLs, where such a page exists', schema: { type: 'string' } },
    },
  })
  @ApiErrors(400, 401)
  async list(
    @CurrentUser() user: AuthUser,
    @Query() query: ListTasksQuery,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TaskResponse[]> {
    const page = await this.tasks.list(user.id, query);
    reply.header('X-Total-Count', String(page.total));
    const link = linkHeader(request.url, page);
    if (link) reply.header('Link', link);
    return page.items;
  }

  @Get(':id')
  @Scopes('tasks:read')
  @UseGuards(TaskOwnershipGuard)
  @ApiOperation({ summary: 'One task', description: 'With If-None-Match naming the current version: 304 and no body.' })
  @ApiParam({ name: 'id', format: 'uuid', description: 'The task id' })
  @ApiHeader({ name: 'If-None-Match', required: false, description: 'An ETag from an earlier answer, e.g. "3"' })
  @ApiHeader({ name: 'If-Match', required: false, description: 'Answer only if the task is at this version (else 412)' })
  @ApiResponse({ status: 200, type: TaskResponse, description: 'The task', headers: TASK_ETAG_HEADER })
  @ApiResponse({ status: 304, description: 'Not modified: the task is still at that version', headers: TASK_ETAG_HEADER })
  @ApiResponse({ status: 412, type: PreconditionFailedBody, description: 'If-Match names another version', headers: TASK_ETAG_HEADER })
  @ApiErrors(400, 401, 403)
  findOne(
    @Param('id', ParseUUIDPipe) _id: string,
    @OwnedTask() task: TaskResponse,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): TaskResponse | undefined {
    reply.header('ETag', etagOf(task.version));
    // RFC 9110 §13.1.1: a failed If-Match is a 412 for a read too.
    const expected = parseIfMatch(ifMatch);
    if (expected && !expected.any && !expected.versions.includes(task.version)) throw new PreconditionFailedException(task);
    if (noneMatch(ifNoneMatch, task.version)) return task;
    reply.status(HttpStatus.NOT_MODIFIED);
    return undefined;
  }

  @Patch(':id')
  @Scopes('tasks:write')
  @UseGuards(TaskOwnershipGuard)
  @ApiOperation({
    summary: 'Change any subset of a task; null clears a nullable field',
    description:
      'With If-Match, only if the task is still at that version: otherwise 412 with the current task in error.current, ' +
      'and nothing changes. With If-None-Match, only if the task is not at a version it names: * or the current ' +
      'version is a 412 the same way (RFC 9110). Without either the last write wins.',
  })
  @ApiParam({ name: 'id', format: 'uuid', description: 'The task id' })
  @ApiHeader({ name: 'If-Match', required: false, description: 'The ETag the change is based on, e.g. "3" (or *)' })
  @ApiHeader({ name: 'If-None-Match', required: false, description: IF_NONE_MATCH_ON_WRITE })
  @ApiResponse({ status: 200, type: TaskResponse, description: 'The task after the change', headers: TASK_ETAG_HEADER })
  @ApiResponse({ status: 412, type: PreconditionFailedBody, description: PRECONDITION_FAILED_ON_WRITE, headers: TASK_ETAG_HEADER })
  @ApiErrors(400, 401, 403, 413)
  async update(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: UpdateTaskDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TaskResponse> {
    const task = await this.tasks.update(user.id, id, body, {
      ifMatch: parseIfMatch(ifMatch),
      ifNoneMatch: parseIfNoneMatch(ifNoneMatch),
    });
    reply.header('ETag', etagOf(task.version));
    return task;
  }

  @Delete(':id')
  @Scopes('tasks:write')
  @UseGuards(TaskOwnershipGuard)
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Delete a task',
    description:
      'With If-Match, only if the task is still at that version: otherwise 412 with the current task. With ' +
      'If-None-Match, only if the task is not at a version it names: * or the current version is a 412 (RFC 9110).',
  })
  @ApiParam({ name: 'id', format: 'uuid', description: 'The task id' })
  @ApiHeader({ name: 'If-Match', required: false, description: 'The ETag the deletion is based on, e.g. "3" (or *)' })
  @ApiHeader({ name: 'If-None-Match', required: false, description: IF_NONE_MATCH_ON_WRITE })
  @ApiResponse({ status: 204, description: 'Moved to the trash; no body' })
  @ApiResponse({ status: 412, type: PreconditionFailedBody, description: PRECONDITION_FAILED_ON_WRITE, headers: TASK_ETAG_HEADER })
  @ApiErrors(400, 401, 403)
  remove(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
  ): Promise<void> {
    return this.tasks.remove(user.id, id, { ifMatch: parseIfMatch(ifMatch), ifNoneMatch: parseIfNoneMatch(ifNoneMatch) });
  }
}

/** RFC 8288 links to the neighbouring pages, keeping every other query parameter. */
export function linkHeader(requestUrl: string, page: TaskPage): string | undefined {
  const url = new URL(requestUrl, 'http://localhost');
  const linkTo = (offset: number, rel: string) => {
    url.searchParams.set('offset', String(offset));
    url.searchParams.set('limit', String(page.limit));
    return `<${url.pathname}?${url.searchParams.toString()}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (page.offset + page.limit < page.total) links.push(linkTo(page.offset + page.limit, 'next'));
  if (page.offset > 0) links.push(linkTo(Math.max(0, Math.min(page.offset - page.limit, page.total - page.limit)), 'prev'));
  return links.length > 0 ? links.join(', ') : undefined;
}
