import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { EmailTakenException, InvalidCredentialsException, InvalidTokenException } from '../common/api-errors.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { toUserResponse, type UserResponse } from '../users/dto/user.response.js';
import type { User } from '../users/user.entity.js';
import { UsersService } from '../users/users.service.js';
import type { AuthResponse } from './dto/auth.response.js';
import type { CredentialsDto } from './dto/credentials.dto.js';
import type { UpdateMeDto } from './dto/update-me.dto.js';
import { PasswordHasher } from './password-hasher.js';

@Injectable()
export class AuthService implements OnModuleInit {
  /**
   * Compared against when an email is unknown, so a failed login costs one
   * bcrypt comparison either way and timing does not reveal who has an account.
   */
  private dummyHash = '';

  constructor(
    private readonly users: UsersService,
    private readonly jwt: JwtService,
    private readonly passwords: PasswordHasher,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    this.dummyHash = await this.passwords.hash('dummy password for timing');
  }

  async signup({ email, password }: CredentialsDto): Promise<AuthResponse> {
    if (await this.users.findByEmail(email)) throw new EmailTakenException();
    const hashedPassword = await this.passwords.hash(password);
    const user = await this.users.create(email, hashedPassword);
    return this.issueToken(user);
  }

  /**
   * Usually one candidate account. More only where the email migration found
   * several accounts whose addresses normalize alike and kept them apart: each
   * owner still logs in with their own password, the first match wins.
   */
  async login({ email, password }: CredentialsDto): Promise<AuthResponse> {
    const candidates = await this.users.findLoginCandidates(email);
    if (candidates.length === 0) {
      await this.passwords.compare(password, this.dummyHash);
      throw new InvalidCredentialsException();
    }
    for (const user of candidates) {
      if (await this.passwords.compare(password, user.hashedPassword)) return this.issueToken(user);
    }
    throw new InvalidCredentialsException();
  }

  async updateMe(userId: string, dto: UpdateMeDto): Promise<UserResponse> {
    const user = await this.users.update(userId, { timeZone: dto.time_zone });
    if (!user) throw new InvalidTokenException();
    return toUserResponse(user);
  }

  async me(userId: string): Promise<UserResponse> {
    const user = await this.users.findById(userId);
    // The guard has just checked the user exists; a concurrent deletion lands here.
    if (!user) throw new InvalidTokenException();
    return toUserResponse(user);
  }

  private async issueToken(user: User): Promise<AuthResponse> {
    const accessToken = await this.jwt.signAsync({ sub: user.id });
    return {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: this.config.jwtExpiresInSeconds,
      user: toUserResponse(user),
    };
  }
}
