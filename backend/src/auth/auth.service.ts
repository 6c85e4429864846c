import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { EmailTakenException, InvalidCredentialsException, InvalidTokenException, WrongPasswordException } from '../common/api-errors.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { type ClientInfo, SessionsService } from '../sessions/sessions.service.js';
import { toUserResponse, type UserResponse } from '../users/dto/user.response.js';
import type { User } from '../users/user.entity.js';
import { UsersService } from '../users/users.service.js';
import type { AuthResponse } from './dto/auth.response.js';
import type { CredentialsDto } from './dto/credentials.dto.js';
import type { UpdateMeDto } from './dto/update-me.dto.js';
import { PasswordHasher } from './password-hasher.js';

/** An access token for the body, and the refresh token for the cookie (absent when the cookie stays as it is). */
export interface SignedIn {
  readonly body: AuthResponse;
  readonly refreshToken?: string;
}

@Injectable()
export class AuthService implements OnModuleInit {
  /**
   * Compared against when an email is unknown, so a failed login costs one
   * bcrypt comparison either way and timing does not reveal who has an account.
   */
  private dummyHash = '';

  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly jwt: JwtService,
    private readonly passwords: PasswordHasher,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    this.dummyHash = await this.passwords.hash('dummy password for timing');
  }

  async signup({ email, password }: CredentialsDto, client: ClientInfo): Promise<SignedIn> {
    if (await this.users.findByEmail(email)) throw new EmailTakenException();
    const hashedPassword = await this.passwords.hash(password);
    const user = await this.users.create(email, hashedPassword);
    return this.startSession(user, client);
  }

  /**
   * Usually one candidate account. More only where the email migration found
   * several accounts whose addresses normalize alike and kept them apart: each
   * owner still logs in with their own password, the first match wins.
   */
  async login({ email, password }: CredentialsDto, client: ClientInfo): Promise<SignedIn> {
    const candidates = await this.users.findLoginCandidates(email);
    if (candidates.length === 0) {
      await this.passwords.compare(password, this.dummyHash);
      throw new InvalidCredentialsException();
    }
    for (const user of candidates) {
      if (await this.passwords.compare(password, user.hashedPassword)) return this.startSession(user, client);
    }
    throw new InvalidCredentialsException();
  }

  /** A new access token for the session of the refresh cookie, and the rotated refresh token. */
  async refresh(refreshToken: string | undefined, client: ClientInfo): Promise<SignedIn> {
    const session = await this.sessions.refresh(refreshToken, client);
    const user = await this.users.findById(session.userId);
    if (!user) throw new InvalidTokenException();
    return { body: await this.issueToken(user, session.sessionId), refreshToken: session.refreshToken };
  }

  async updateMe(userId: string, dto: UpdateMeDto): Promise<UserResponse> {
    if (dto.email !== undefined) {
      await this.verifyPassword(userId, dto.current_password ?? '');
      const holder = await this.users.findByEmail(dto.email);
      if (holder && holder.id !== userId) throw new EmailTakenException();
    }
    const user = await this.users.update(userId, { timeZone: dto.time_zone, email: dto.email });
    if (!user) throw new InvalidTokenException();
    return toUserResponse(user);
  }

  async me(userId: string): Promise<UserResponse> {
    const user = await this.users.findById(userId);
    // The guard has just checked the user exists; a concurrent deletion lands here.
    if (!user) throw new InvalidTokenException();
    return toUserResponse(user);
  }

  /** The caller's own password, for changes that need it: a wrong one is a 401 (the routes are rate-limited). */
  async verifyPassword(userId: string, password: string): Promise<User> {
    const user = await this.users.findById(userId);
    if (!user) throw new InvalidTokenException();
    if (!(await this.passwords.compare(password, user.hashedPassword))) throw new WrongPasswordException();
    return user;
  }

  hashPassword(password: string): Promise<string> {
    return this.passwords.hash(password);
  }

  private async startSession(user: User, client: ClientInfo): Promise<SignedIn> {
    const session = await this.sessions.start(undefined, user.id, client);
    return { body: await this.issueToken(user, session.sessionId), refreshToken: session.refreshToken };
  }

  private async issueToken(user: User, sessionId: string): Promise<AuthResponse> {
    const accessToken = await this.jwt.signAsync({ sub: user.id, sid: sessionId });
    return {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: this.config.jwtExpiresInSeconds,
      user: toUserResponse(user),
    };
  }
}
