import { Body, Controller, Get, HttpCode, HttpStatus, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiErrors } from '../common/api-errors.decorator.js';
import { type AuthUser, CurrentUser } from '../common/current-user.decorator.js';
import { Public } from '../common/public.decorator.js';
import { AUTH_RATE_LIMITED } from '../common/rate-limit.js';
import { UserResponse } from '../users/dto/user.response.js';
import { AuthService } from './auth.service.js';
import { AuthResponse } from './dto/auth.response.js';
import { CredentialsDto } from './dto/credentials.dto.js';
import { UpdateMeDto } from './dto/update-me.dto.js';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @RouteConfig(AUTH_RATE_LIMITED)
  @Post('signup')
  @ApiOperation({ summary: 'Create an account and get a token' })
  @ApiResponse({ status: 201, type: AuthResponse, description: 'Account created; signed in as it' })
  @ApiErrors(400, 409, 413, 429)
  signup(@Body() body: CredentialsDto): Promise<AuthResponse> {
    return this.auth.signup(body);
  }

  @Public()
  @RouteConfig(AUTH_RATE_LIMITED)
  @Post('login')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Exchange email and password for a token' })
  @ApiResponse({ status: 200, type: AuthResponse, description: 'Signed in: a bearer token and the user' })
  @ApiErrors(400, 401, 413, 429)
  login(@Body() body: CredentialsDto): Promise<AuthResponse> {
    return this.auth.login(body);
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The signed-in user' })
  @ApiResponse({ status: 200, type: UserResponse, description: 'The account the token belongs to' })
  @ApiErrors(401)
  me(@CurrentUser() user: AuthUser): Promise<UserResponse> {
    return this.auth.me(user.id);
  }

  @Patch('me')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Change account settings: the time zone' })
  @ApiResponse({ status: 200, type: UserResponse, description: 'The account after the change' })
  @ApiErrors(400, 401, 413)
  updateMe(@CurrentUser() user: AuthUser, @Body() body: UpdateMeDto): Promise<UserResponse> {
    return this.auth.updateMe(user.id, body);
  }
}
