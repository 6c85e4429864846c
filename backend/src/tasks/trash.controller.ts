import { Controller, Delete, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiErrors } from '../common/api-errors.decorator.js';
import { Scopes } from '../common/scopes.js';
import { type AuthUser, CurrentUser } from '../common/current-user.decorator.js';
import { etagOf } from '../common/preconditions.js';
import { TASK_ETAG_HEADER } from './dto/precondition-failed.body.js';
import { TaskResponse, TrashedTaskResponse } from './dto/task.response.js';
import { TrashQuery } from './dto/trash.query.js';
import { linkHeader } from './tasks.controller.js';
import { TrashService } from './trash.service.js';

@ApiTags('trash')
@ApiBearerAuth()
@Controller('api/trash')
export class TrashController {
  constructor(private readonly trash: TrashService) {}

  @Get()
  @Scopes('tasks:read')
  @ApiOperation({
    summary: 'Tasks you deleted, newest first',
    description: 'Each with deleted_at; subtasks that went along with a task are not listed on their own. Kept 30 days (TRASH_RETENTION_DAYS).',
  })
  @ApiResponse({
    status: 200,
    type: [TrashedTaskResponse],
    description: 'One page of the trash, newest first',
    headers: {
      'X-Total-Count': { description: 'Number of tasks in the trash', schema: { type: 'integer' } },
      Link: { description: 'rel="next" / rel="prev" page URLs, where such a page exists', schema: { type: 'string' } },
    },
  })
  @ApiErrors(400, 401)
  async list(
    @CurrentUser() user: AuthUser,
    @Query() query: TrashQuery,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TrashedTaskResponse[]> {
    const page = await this.trash.list(user.id, query);
    reply.header('X-Total-Count', String(page.total));
    const link = linkHeader(request.url, page);
    if (link) reply.header('Link', link);
    return page.items;
  }

  @Post(':id/restore')
  @Scopes('tasks:write')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Bring a task back, with the subtasks that went with it',
    description: 'Into its project (or your Inbox when the project is gone), under its parent if the parent is still there.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, type: TaskResponse, description: 'The restored task, back in its project (or the Inbox)', headers: TASK_ETAG_HEADER })
  @ApiErrors(400, 401, 403)
  async restore(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TaskResponse> {
    const task = await this.trash.restore(user.id, id.toLowerCase());
    reply.header('ETag', etagOf(task.version));
    return task;
  }

  @Delete(':id')
  @Scopes('tasks:write')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a task in the trash for good, with the subtasks that went with it' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 204, description: 'Deleted for good' })
  @ApiErrors(400, 401, 403)
  deleteForGood(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.trash.deleteForGood(user.id, id.toLowerCase());
  }

  @Delete()
  @Scopes('tasks:write')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Empty the trash' })
  @ApiResponse({ status: 204, description: 'The trash is empty' })
  @ApiErrors(401)
  empty(@CurrentUser() user: AuthUser): Promise<void> {
    return this.trash.empty(user.id);
  }
}
