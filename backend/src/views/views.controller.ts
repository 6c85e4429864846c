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
  Res,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiIdempotencyKey, IDEMPOTENT_REPLAYED_HEADER } from '../common/idempotency-headers.js';
import type { FastifyReply } from 'fastify';
import { PreconditionFailedException } from '../common/api-errors.js';
import { ApiErrors } from '../common/api-errors.decorator.js';
import { Scopes } from '../common/scopes.js';
import { type AuthUser, CurrentUser } from '../common/current-user.decorator.js';
import { checkIdempotencyKey, etagOf, noneMatch, parseIfMatch, parseIfNoneMatch } from '../common/preconditions.js';
import { CreateViewDto } from './dto/create-view.dto.js';
import { UpdateViewDto } from './dto/update-view.dto.js';
import { VIEW_ETAG_HEADER, ViewPreconditionFailedBody } from './dto/view-precondition-failed.body.js';
import { ViewResponse } from './dto/view.response.js';
import { OwnedView, ViewOwnershipGuard } from './view-ownership.guard.js';
import { ViewsService } from './views.service.js';

const VIEW_403 = [403, 'Access denied: view not found or not owned by user'] as const;

@ApiTags('views')
@ApiBearerAuth()
@Controller('api/views')
export class ViewsController {
  constructor(private readonly views: ViewsService) {}

  @Get()
  @Scopes('tasks:read')
  @ApiOperation({ summary: 'Your saved views, ordered by position, then name' })
  @ApiResponse({ status: 200, type: [ViewResponse], description: 'All your saved views, by position, then name' })
  @ApiErrors(401)
  list(@CurrentUser() user: AuthUser): Promise<ViewResponse[]> {
    return this.views.list(user.id);
  }

  @Post()
  @Scopes('tasks:write')
  @ApiOperation({
    summary: 'Save a view: a named list query',
    description: 'Send an Idempotency-Key to make the create safe to retry (as for tasks). At most 200 views per user.',
  })
  @ApiIdempotencyKey('1 to 255 printable ASCII characters, unique per create')
  @ApiResponse({
    status: 201,
    type: ViewResponse,
    description: 'Created (or, with Idempotent-Replayed, the stored answer to the same request): the new view',
    headers: {
      Location: { description: 'URL of the new view', schema: { type: 'string' } },
      ...VIEW_ETAG_HEADER,
      ...IDEMPOTENT_REPLAYED_HEADER,
    },
  })
  @ApiErrors(400, 401, [409, 'You already have a view with this name, or 200 views'], 413, 422)
  async create(
    @CurrentUser() user: AuthUser,
    @Body() body: CreateViewDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ViewResponse> {
    const { body: view, replayed } = await this.views.create(user.id, body, checkIdempotencyKey(idempotencyKey));
    reply.header('Location', `/api/views/${view.id}`).header('ETag', etagOf(view.version));
    if (replayed) reply.header('Idempotent-Replayed', 'true');
    return view;
  }

  @Get(':id')
  @Scopes('tasks:read')
  @UseGuards(ViewOwnershipGuard)
  @ApiOperation({ summary: 'One saved view', description: 'With If-None-Match naming the current version: 304 and no body.' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiHeader({ name: 'If-None-Match', required: false, description: 'An ETag from an earlier answer, e.g. "3"' })
  @ApiHeader({ name: 'If-Match', required: false, description: 'Answer only if the view is at this version (else 412)' })
  @ApiResponse({ status: 200, type: ViewResponse, description: 'The view', headers: VIEW_ETAG_HEADER })
  @ApiResponse({ status: 304, description: 'Not modified: the view is still at that version', headers: VIEW_ETAG_HEADER })
  @ApiResponse({ status: 412, type: ViewPreconditionFailedBody, description: 'If-Match names another version', headers: VIEW_ETAG_HEADER })
  @ApiErrors(400, 401, VIEW_403)
  findOne(
    @Param('id', ParseUUIDPipe) _id: string,
    @OwnedView() view: ViewResponse,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): ViewResponse | undefined {
    reply.header('ETag', etagOf(view.version));
    const expected = parseIfMatch(ifMatch);
    if (expected && !expected.any && !expected.versions.includes(view.version)) {
      throw new PreconditionFailedException(view, 'Precondition failed: the view has changed since that version');
    }
    if (noneMatch(ifNoneMatch, view.version)) return view;
    reply.status(HttpStatus.NOT_MODIFIED);
    return undefined;
  }

  @Patch(':id')
  @Scopes('tasks:write')
  @UseGuards(ViewOwnershipGuard)
  @ApiOperation({
    summary: 'Rename, reorder or change a saved view',
    description: 'A query replaces the whole stored query. With If-Match, only if the view is still at that version: otherwise 412.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiHeader({ name: 'If-Match', required: false, description: 'The ETag the change is based on, e.g. "3" (or *)' })
  @ApiHeader({ name: 'If-None-Match', required: false, description: '* or the current ETag: 412, nothing changes' })
  @ApiResponse({ status: 200, type: ViewResponse, description: 'The view after the change', headers: VIEW_ETAG_HEADER })
  @ApiResponse({ status: 412, type: ViewPreconditionFailedBody, description: 'The view is at another version', headers: VIEW_ETAG_HEADER })
  @ApiErrors(400, 401, VIEW_403, [409, 'You already have a view with this name'], 413)
  async update(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: UpdateViewDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ViewResponse> {
    const view = await this.views.update(user.id, id.toLowerCase(), body, {
      ifMatch: parseIfMatch(ifMatch),
      ifNoneMatch: parseIfNoneMatch(ifNoneMatch),
    });
    reply.header('ETag', etagOf(view.version));
    return view;
  }

  @Delete(':id')
  @Scopes('tasks:write')
  @UseGuards(ViewOwnershipGuard)
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a saved view', description: 'The tasks it shows are not touched.' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiHeader({ name: 'If-Match', required: false, description: 'The ETag the deletion is based on, e.g. "3" (or *)' })
  @ApiResponse({ status: 204, description: 'Deleted' })
  @ApiResponse({ status: 412, type: ViewPreconditionFailedBody, description: 'The view is at another version', headers: VIEW_ETAG_HEADER })
  @ApiErrors(400, 401, VIEW_403)
  remove(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
  ): Promise<void> {
    return this.views.remove(user.id, id.toLowerCase(), { ifMatch: parseIfMatch(ifMatch), ifNoneMatch: parseIfNoneMatch(ifNoneMatch) });
  }
}
