import { Body, Controller, Get, HttpCode, HttpStatus, Inject, Patch, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { OriginNotAllowedException } from '../common/api-errors.js';
import { ApiErrors } from '../common/api-errors.decorator.js';
import { ErrorBody } from '../common/error-body.js';
import { type AuthUser, CurrentUser } from '../common/current-user.decorator.js';
import { Public } from '../common/public.decorator.js';
import { AUTH_RATE_LIMITED } from '../common/rate-limit.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { clearRefreshCookie, cookieIsSecure, readRefreshCookie, REFRESH_COOKIE, setRefreshCookie } from '../sessions/refresh-cookie.js';
import type { ClientInfo } from '../sessions/sessions.service.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { UserResponse } from '../users/dto/user.response.js';
import { AuthService, type SignedIn } from './auth.service.js';
import { apiTokenOf } from './jwt-auth.guard.js';
import { AuthResponse } from './dto/auth.response.js';
import { CredentialsDto } from './dto/credentials.dto.js';
import { UpdateMeDto } from './dto/update-me.dto.js';
import { JwtService } from '@nestjs/jwt';
import { bearerToken } from './jwt.strategy.js';

/** Documents the refresh cookie a response sets. */
export const SET_REFRESH_COOKIE = {
  'Set-Cookie': {
    description:
      `\`${REFRESH_COOKIE}=<refresh token>; Path=/auth; Max-Age=<REFRESH_TTL_DAYS in seconds>; HttpOnly; SameSite=Strict; Secure\`: ` +
      'the session\'s refresh token, for `POST /auth/refresh` only (Secure is left out only for plain http to localhost outside production)',
    schema: { type: 'string' },
  },
};
const CLEAR_REFRESH_COOKIE = {
  'Set-Cookie': { description: `\`${REFRESH_COOKIE}=; Path=/auth; Max-Age=0; …\`: removes the refresh cookie`, schema: { type: 'string' } },
};

export function clientOf(request: FastifyRequest): ClientInfo {
  const userAgent = request.headers['user-agent'];
  return { userAgent: typeof userAgent === 'string' ? userAgent : undefined, ip: request.ip ?? null };
}

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly sessions: SessionsService,
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Public()
  @RouteConfig(AUTH_RATE_LIMITED)
  @Post('signup')
  @ApiOperation({
    summary: 'Create an account, start a session and get an access token',
    description: 'Also sets the session\'s refresh token as an HttpOnly cookie scoped to /auth (see `POST /auth/refresh`).',
  })
  @ApiResponse({ status: 201, type: AuthResponse, headers: SET_REFRESH_COOKIE, description: 'Account created; signed in as it' })
  @ApiErrors(400, 409, 413, 429)
  async signup(
    @Body() body: CredentialsDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AuthResponse> {
    return this.signedIn(await this.auth.signup(body, clientOf(request)), request, reply);
  }

  @Public()
  @RouteConfig(AUTH_RATE_LIMITED)
  @Post('login')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Exchange email and password for an access token, starting a session',
    description: 'Also sets the session\'s refresh token as an HttpOnly cookie scoped to /auth (see `POST /auth/refresh`).',
  })
  @ApiResponse({ status: 200, type: AuthResponse, headers: SET_REFRESH_COOKIE, description: 'Signed in: a bearer token and the user' })
  @ApiErrors(400, 401, 413, 429)
  async login(
    @Body() body: CredentialsDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AuthResponse> {
    return this.signedIn(await this.auth.login(body, clientOf(request)), request, reply);
  }

  @Public()
  @Post('refresh')
  @HttpCode(HttpStatus.OK)
  @ApiCookieAuth('refresh')
  @ApiOperation({
    summary: 'A new access token for the session of the refresh cookie, and a rotated refresh token',
    description:
      'Send no body; the browser sends the cookie. Requests with an `Origin` header must come from one of CORS_ORIGINS ' +
      '(403 otherwise), against cross-site request forgery. Each refresh rotates the refresh token: a token that was ' +
      'already rotated away is reuse and ends the whole session (401), except within REFRESH_GRACE_SECONDS (10) of its ' +
      'rotation, when it still refreshes the same session without setting a new cookie (two tabs refreshing at once).',
  })
  @ApiResponse({ status: 200, type: AuthResponse, headers: SET_REFRESH_COOKIE, description: 'A new access token; the rotated refresh token in the cookie' })
  @ApiResponse({
    status: 401,
    type: ErrorBody,
    description: 'No refresh cookie, or its session has ended (the cookie is removed)',
    headers: { ...CLEAR_REFRESH_COOKIE, 'WWW-Authenticate': { description: 'Bearer', schema: { type: 'string' } } },
  })
  @ApiErrors(403)
  async refresh(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<AuthResponse> {
    this.checkOrigin(request);
    try {
      return this.signedIn(await this.auth.refresh(readRefreshCookie(request), clientOf(request)), request, reply);
    } catch (error) {
      clearRefreshCookie(reply, cookieIsSecure(request, this.config.nodeEnv));
      throw error;
    }
  }

  @Public()
  @Post('logout')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'End the current session',
    description:
      'The session of the refresh cookie (or of the bearer access token) ends: its refresh token stops working and its event ' +
      'streams close within seconds. The access token itself stays valid until it expires (it is checked without a database ' +
      'read): drop it. Always 204, and the cookie is removed. The same `Origin` rule as `POST /auth/refresh`.',
  })
  @ApiResponse({ status: 204, description: 'Logged out', headers: CLEAR_REFRESH_COOKIE })
  @ApiErrors(403)
  async logout(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    this.checkOrigin(request);
    await this.sessions.end(readRefreshCookie(request), await this.bearerSession(request));
    clearRefreshCookie(reply, cookieIsSecure(request, this.config.nodeEnv));
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The signed-in user' })
  @ApiResponse({ status: 200, type: UserResponse, description: 'The account the token belongs to' })
  @ApiErrors(401, 403)
  me(@CurrentUser() user: AuthUser): Promise<UserResponse> {
    return this.auth.me(user.id);
  }

  @Patch('me')
  @RouteConfig(AUTH_RATE_LIMITED)
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Change account settings: the time zone, the email',
    description:
      'A new `email` needs `current_password` (a wrong one is a 401) and is refused with 409 when another account has it. ' +
      'Rate-limited per client address like log-in.',
  })
  @ApiResponse({ status: 200, type: UserResponse, description: 'The account after the change' })
  @ApiErrors(400, 401, 403, 409, 413, 429)
  updateMe(@CurrentUser() user: AuthUser, @Body() body: UpdateMeDto): Promise<UserResponse> {
    return this.auth.updateMe(user.id, body);
  }

  private signedIn(signedIn: SignedIn, request: FastifyRequest, reply: FastifyReply): AuthResponse {
    if (signedIn.refreshToken) {
      setRefreshCookie(reply, signedIn.refreshToken, this.sessions.refreshMaxAgeSeconds, cookieIsSecure(request, this.config.nodeEnv));
    }
    return signedIn.body;
  }

  /** Cookies ride along with cross-site requests; only the app's own pages (CORS_ORIGINS) or non-browser clients may use them. */
  private checkOrigin(request: FastifyRequest): void {
    const origin = request.headers.origin;
    if (origin !== undefined && !this.config.corsOrigins.includes(origin)) throw new OriginNotAllowedException();
  }

  /** The session of a valid bearer access token, if the logout request carries one (public route: checked here). */
  private async bearerSession(request: FastifyRequest): Promise<{ userId: string; sessionId: string } | undefined> {
    const token = apiTokenOf(request) ? null : bearerToken(request);
    if (!token) return undefined;
    try {
      const payload = await this.jwt.verifyAsync<{ sub?: unknown; sid?: unknown }>(token);
      const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
      const { sub, sid } = payload;
      return typeof sub === 'string' && uuid.test(sub) && typeof sid === 'string' && uuid.test(sid) ? { userId: sub, sessionId: sid } : undefined;
    } catch {
      return undefined;
    }
  }
}
