import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/api-errors.decorator.js';
import { type AuthUser, CurrentUser } from '../common/current-user.decorator.js';
import { ApiTokensService } from './api-tokens.service.js';
import { ApiTokenResponse, CreatedApiTokenResponse } from './dto/api-token.response.js';
import { CreateApiTokenDto } from './dto/create-api-token.dto.js';

@ApiTags('account')
@ApiBearerAuth()
@Controller('api/me/tokens')
export class ApiTokensController {
  constructor(private readonly tokens: ApiTokensService) {}

  @Post()
  @ApiOperation({
    summary: 'Create a personal API token',
    description:
      'The answer carries the token once; only its hash is stored. It works as `Authorization: Bearer evt_…` on the routes ' +
      'its scopes allow (403 `insufficient_scope` elsewhere), never on account routes (`/api/me/*`, `/auth/*`). ' +
      'Deleted or expired, it is refused (401) by every instance within 5 seconds. Needs a session (not a personal API token).',
  })
  @ApiResponse({ status: 201, type: CreatedApiTokenResponse, description: 'The token, with its secret shown this once' })
  @ApiErrors(400, 401, 403, 413)
  create(@CurrentUser() user: AuthUser, @Body() body: CreateApiTokenDto): Promise<CreatedApiTokenResponse> {
    return this.tokens.create(user.id, body);
  }

  @Get()
  @ApiOperation({ summary: 'Your personal API tokens (never their secrets), newest first' })
  @ApiResponse({ status: 200, type: [ApiTokenResponse], description: 'Your personal API tokens, without their secrets' })
  @ApiErrors(401, 403)
  list(@CurrentUser() user: AuthUser): Promise<ApiTokenResponse[]> {
    return this.tokens.list(user.id);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Revoke a personal API token' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 204, description: 'Revoked: refused everywhere within 5 seconds' })
  @ApiErrors(400, 401, 403)
  remove(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.tokens.delete(user.id, id);
  }
}
