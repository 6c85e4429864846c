import {
  Body,
  Controller,
  Delete,
  Get,
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
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiErrors } from '../common/api-errors.decorator.js';
import { type AuthUser, CurrentUser } from '../common/current-user.decorator.js';
import { CreateTaskDto } from './dto/create-task.dto.js';
import { ListTasksQuery } from './dto/list-tasks.query.js';
import { TaskResponse } from './dto/task.response.js';
import { UpdateTaskDto } from './dto/update-task.dto.js';
import { OwnedTask, TaskOwnershipGuard } from './task-ownership.guard.js';
import { type TaskPage, TasksService } from './tasks.service.js';

@ApiTags('tasks')
@ApiBearerAuth()
@Controller('api/tasks')
export class TasksController {
  constructor(private readonly tasks: TasksService) {}

  @Post()
  @ApiOperation({ summary: 'Create a task' })
  @ApiResponse({
    status: 201,
    type: TaskResponse,
    headers: { Location: { description: 'URL of the new task', schema: { type: 'string' } } },
  })
  @ApiErrors(400, 401, 413)
  async create(
    @CurrentUser() user: AuthUser,
    @Body() body: CreateTaskDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TaskResponse> {
    const task = await this.tasks.create(user.id, body);
    reply.header('Location', `/api/tasks/${task.id}`);
    return task;
  }

  @Get()
  @ApiOperation({ summary: "List the caller's tasks: filter, search, sort and page" })
  @ApiResponse({
    status: 200,
    type: [TaskResponse],
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
  @UseGuards(TaskOwnershipGuard)
  @ApiOperation({ summary: 'One task' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, type: TaskResponse })
  @ApiErrors(400, 401, 403)
  findOne(@Param('id', ParseUUIDPipe) _id: string, @OwnedTask() task: TaskResponse): TaskResponse {
    return task;
  }

  @Patch(':id')
  @UseGuards(TaskOwnershipGuard)
  @ApiOperation({ summary: 'Change any subset of a task; null clears a nullable field' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, type: TaskResponse })
  @ApiErrors(400, 401, 403, 413)
  update(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: UpdateTaskDto,
  ): Promise<TaskResponse> {
    return this.tasks.update(user.id, id, body);
  }

  @Delete(':id')
  @UseGuards(TaskOwnershipGuard)
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a task' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 204, description: 'Deleted' })
  @ApiErrors(400, 401, 403)
  remove(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.tasks.remove(user.id, id);
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
