import { Controller, Delete, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/api-errors.decorator.js';
import { type AuthUser, CurrentUser } from '../common/current-user.decorator.js';
import { SessionResponse } from './dto/session.response.js';
import { SessionsService } from './sessions.service.js';

const sessionOf = (user: AuthUser) => (user.credential.kind === 'session' ? user.credential.sessionId : undefined);

@ApiTags('account')
@ApiBearerAuth()
@Controller('api/me/sessions')
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  @Get()
  @ApiOperation({
    summary: 'Your signed-in sessions, the most recently used first',
    description: 'One per sign-in on a device; `current` marks the session of the access token that asked. Needs a session (not a personal API token).',
  })
  @ApiResponse({ status: 200, type: [SessionResponse], description: 'Your sessions, the current one marked' })
  @ApiErrors(401, 403)
  list(@CurrentUser() user: AuthUser): Promise<SessionResponse[]> {
    return this.sessions.list(user.id, sessionOf(user));
  }

  @Delete()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Sign out everywhere else: end every session but the current one',
    description:
      'Their refresh tokens stop working at once and their event streams close within seconds; access tokens already ' +
      'issued to them stay valid until they expire (at most JWT_EXPIRES_IN, 15 minutes by default).',
  })
  @ApiResponse({ status: 204, description: 'The other sessions have ended' })
  @ApiErrors(401, 403)
  async revokeOthers(@CurrentUser() user: AuthUser): Promise<void> {
    await this.sessions.revokeOthers(user.id, sessionOf(user));
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'End one session (it may be the current one)' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 204, description: 'The session has ended' })
  @ApiErrors(400, 401, 403)
  revoke(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.sessions.revoke(user.id, id);
  }
}
