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
import { CreateProjectDto } from './dto/create-project.dto.js';
import { DeleteProjectQuery } from './dto/delete-project.query.js';
import { PROJECT_ETAG_HEADER, ProjectPreconditionFailedBody } from './dto/project-precondition-failed.body.js';
import { ProjectResponse } from './dto/project.response.js';
import { UpdateProjectDto } from './dto/update-project.dto.js';
import { OwnedProject, ProjectOwnershipGuard } from './project-ownership.guard.js';
import { ProjectsService } from './projects.service.js';

const PROJECT_403 = [403, 'Access denied: project not found or not owned by user'] as const;

@ApiTags('projects')
@ApiBearerAuth()
@Controller('api/projects')
export class ProjectsController {
  constructor(private readonly projects: ProjectsService) {}

  @Get()
  @Scopes('projects:read')
  @ApiOperation({ summary: 'Your projects, the Inbox included, ordered by position, then name' })
  @ApiResponse({ status: 200, type: [ProjectResponse], description: 'All your projects, by position, then name' })
  @ApiErrors(401)
  list(@CurrentUser() user: AuthUser): Promise<ProjectResponse[]> {
    return this.projects.list(user.id);
  }

  @Post()
  @Scopes('projects:write')
  @ApiOperation({
    summary: 'Create a project',
    description: 'Send an Idempotency-Key to make the create safe to retry (as for tasks). At most 1,000 projects per user.',
  })
  @ApiIdempotencyKey('1 to 255 printable ASCII characters, unique per create')
  @ApiResponse({
    status: 201,
    type: ProjectResponse,
    description: 'Created (or, with Idempotent-Replayed, the stored answer to the same request): the new project',
    headers: {
      Location: { description: 'URL of the new project', schema: { type: 'string' } },
      ...PROJECT_ETAG_HEADER,
      ...IDEMPOTENT_REPLAYED_HEADER,
    },
  })
  @ApiErrors(400, 401, [409, 'A project with this name already exists there, or you have 1,000 projects'], 413, 422)
  async create(
    @CurrentUser() user: AuthUser,
    @Body() body: CreateProjectDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ProjectResponse> {
    const { body: project, replayed } = await this.projects.create(user.id, body, checkIdempotencyKey(idempotencyKey));
    reply.header('Location', `/api/projects/${project.id}`).header('ETag', etagOf(project.version));
    if (replayed) reply.header('Idempotent-Replayed', 'true');
    return project;
  }

  @Get(':id')
  @Scopes('projects:read')
  @UseGuards(ProjectOwnershipGuard)
  @ApiOperation({ summary: 'One project', description: 'With If-None-Match naming the current version: 304 and no body.' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiHeader({ name: 'If-None-Match', required: false, description: 'An ETag from an earlier answer, e.g. "3"' })
  @ApiHeader({ name: 'If-Match', required: false, description: 'Answer only if the project is at this version (else 412)' })
  @ApiResponse({ status: 200, type: ProjectResponse, description: 'The project', headers: PROJECT_ETAG_HEADER })
  @ApiResponse({ status: 304, description: 'Not modified: the project is still at that version', headers: PROJECT_ETAG_HEADER })
  @ApiResponse({ status: 412, type: ProjectPreconditionFailedBody, description: 'If-Match names another version', headers: PROJECT_ETAG_HEADER })
  @ApiErrors(400, 401, PROJECT_403)
  findOne(
    @Param('id', ParseUUIDPipe) _id: string,
    @OwnedProject() project: ProjectResponse,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): ProjectResponse | undefined {
    reply.header('ETag', etagOf(project.version));
    const expected = parseIfMatch(ifMatch);
    if (expected && !expected.any && !expected.versions.includes(project.version)) {
      throw new PreconditionFailedException(project, 'Precondition failed: the project has changed since that version');
    }
    if (noneMatch(ifNoneMatch, project.version)) return project;
    reply.status(HttpStatus.NOT_MODIFIED);
    return undefined;
  }

  @Patch(':id')
  @Scopes('projects:write')
  @UseGuards(ProjectOwnershipGuard)
  @ApiOperation({
    summary: 'Rename, recolour, move or reorder a project',
    description:
      'The Inbox can be recoloured and reordered, not renamed or moved. With If-Match, only if the project is still at that ' +
      'version: otherwise 412 with the current project.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiHeader({ name: 'If-Match', required: false, description: 'The ETag the change is based on, e.g. "3" (or *)' })
  @ApiHeader({ name: 'If-None-Match', required: false, description: '* or the current ETag: 412, nothing changes' })
  @ApiResponse({ status: 200, type: ProjectResponse, description: 'The project after the change', headers: PROJECT_ETAG_HEADER })
  @ApiResponse({ status: 412, type: ProjectPreconditionFailedBody, description: 'The project is at another version', headers: PROJECT_ETAG_HEADER })
  @ApiErrors(400, 401, PROJECT_403, [409, 'A project with this name already exists there'], 413)
  async update(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: UpdateProjectDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ProjectResponse> {
    const project = await this.projects.update(user.id, id, body, {
      ifMatch: parseIfMatch(ifMatch),
      ifNoneMatch: parseIfNoneMatch(ifNoneMatch),
    });
    reply.header('ETag', etagOf(project.version));
    return project;
  }

  @Delete(':id')
  @Scopes('projects:write')
  @UseGuards(ProjectOwnershipGuard)
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Delete a project',
    description:
      'A project with tasks or sub-projects is a 409 unless you say what happens to them: `?tasks=trash` (its tasks to the ' +
      'trash, its sub-projects deleted the same way) or `?tasks=move&to={project_id}` (its tasks and sub-projects move there). ' +
      'The Inbox cannot be deleted (409).',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiHeader({ name: 'If-Match', required: false, description: 'The ETag the deletion is based on, e.g. "3" (or *)' })
  @ApiResponse({ status: 204, description: 'Deleted' })
  @ApiResponse({ status: 412, type: ProjectPreconditionFailedBody, description: 'The project is at another version', headers: PROJECT_ETAG_HEADER })
  @ApiErrors(400, 401, PROJECT_403, [409, 'The project has tasks or sub-projects (say what happens to them), or it is the Inbox'])
  remove(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: DeleteProjectQuery,
    @Headers('if-match') ifMatch: string | undefined,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
  ): Promise<void> {
    return this.projects.remove(user.id, id, query, { ifMatch: parseIfMatch(ifMatch), ifNoneMatch: parseIfNoneMatch(ifNoneMatch) });
  }
}
