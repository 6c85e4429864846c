import { Body, Controller, Delete, HttpCode, HttpStatus, Inject, Post, Req, Res } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { clientOf, SET_REFRESH_COOKIE } from '../auth/auth.controller.js';
import { ChangePasswordDto, DeleteAccountDto } from '../auth/dto/change-password.dto.js';
import { ApiErrors } from '../common/api-errors.decorator.js';
import { type AuthUser, CurrentUser } from '../common/current-user.decorator.js';
import { AUTH_RATE_LIMITED } from '../common/rate-limit.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { clearRefreshCookie, cookieIsSecure, setRefreshCookie } from '../sessions/refresh-cookie.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { AccountService } from './account.service.js';

@ApiTags('account')
@ApiBearerAuth()
@Controller('api/me')
export class AccountController {
  constructor(
    private readonly account: AccountService,
    private readonly sessions: SessionsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('password')
  @RouteConfig(AUTH_RATE_LIMITED)
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Change your password',
    description:
      'A wrong `current_password` is a 401 (rate-limited per client address like log-in). Every other session ends; ' +
      'the current one keeps going with a new refresh token (cookie), and its previous ones count as reuse. Personal API ' +
      'tokens are not affected. Needs a session (not a personal API token).',
  })
  @ApiResponse({ status: 204, description: 'Changed', headers: SET_REFRESH_COOKIE })
  @ApiErrors(400, 401, 403, 413, 429)
  async changePassword(
    @CurrentUser() user: AuthUser,
    @Body() body: ChangePasswordDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    const refreshToken = await this.account.changePassword(user, body, clientOf(request));
    if (refreshToken) {
      setRefreshCookie(reply, refreshToken, this.sessions.refreshMaxAgeSeconds, cookieIsSecure(request, this.config.nodeEnv));
    }
  }

  @Delete()
  @RouteConfig(AUTH_RATE_LIMITED)
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Delete your account and everything it owns',
    description:
      'Confirm with `password` (a wrong one is a 401, rate-limited). In one transaction: tasks, sessions, personal tokens, ' +
      'webhooks and their deliveries, idempotency keys, events. Open event streams close within seconds; the email can ' +
      'sign up again. Needs a session (not a personal API token).',
  })
  @ApiResponse({ status: 204, description: 'Deleted; the refresh cookie is removed' })
  @ApiErrors(400, 401, 403, 413, 429)
  async deleteAccount(
    @CurrentUser() user: AuthUser,
    @Body() body: DeleteAccountDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    await this.account.deleteAccount(user, body);
    clearRefreshCookie(reply, cookieIsSecure(request, this.config.nodeEnv));
  }
}
