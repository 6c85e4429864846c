import { HttpException, HttpStatus, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { InvalidTokenException } from '../common/api-errors.js';
import type { AuthUser } from '../common/current-user.decorator.js';
import { type ApiTokenScope, API_TOKEN_SCOPES } from '../common/scopes.js';
import { newSecretToken, tokenHash } from '../common/secret-token.js';
import type { CreateApiTokenDto } from './dto/create-api-token.dto.js';
import { type ApiTokenResponse, type CreatedApiTokenResponse, toApiTokenResponse } from './dto/api-token.response.js';
import { type ApiTokenGrant, ApiTokensRepository } from './api-tokens.repository.js';

export const API_TOKEN_PREFIX = 'evt_';
/** `evt_` and 43 base64url characters (256 bits). */
export const API_TOKEN_PATTERN = /^evt_[A-Za-z0-9_-]{43}$/;

/**
 * How long an instance trusts what it read about a token. A token deleted
 * or expired is refused by every instance within this time (the contract
 * says 5 seconds); in between, a busy integration costs one query per token
 * per interval instead of one per request.
 */
export const GRANT_CACHE_MS = 4_000;
const CACHE_LIMIT = 10_000;
/** last_used_at is written at most this often per token. */
const LAST_USED_RESOLUTION_MS = 60_000;

export class ApiTokenAccessDeniedException extends HttpException {
  constructor() {
    super('Access denied: token not found or not owned by user', HttpStatus.FORBIDDEN);
  }
}

interface CachedGrant {
  readonly grant: ApiTokenGrant | undefined;
  readonly until: number;
}

@Injectable()
export class ApiTokensService implements OnModuleDestroy {
  private readonly logger = new Logger('ApiTokens');
  /** By token hash; unknown tokens are remembered too, so guessing costs no extra queries. */
  private readonly cache = new Map<string, CachedGrant>();
  private readonly lastUsedWritten = new Map<string, number>();
  private readonly usedSinceFlush = new Set<string>();
  private readonly flushTimer = setInterval(() => void this.flushLastUsed(), 5_000).unref();

  constructor(private readonly tokens: ApiTokensRepository) {}

  onModuleDestroy(): void {
    clearInterval(this.flushTimer);
  }

  async create(userId: string, dto: CreateApiTokenDto): Promise<CreatedApiTokenResponse> {
    const token = newSecretToken(API_TOKEN_PREFIX);
    const row = await this.tokens.create({
      userId,
      name: dto.name,
      scopes: [...new Set(dto.scopes)].sort((a, b) => API_TOKEN_SCOPES.indexOf(a) - API_TOKEN_SCOPES.indexOf(b)),
      hash: tokenHash(token),
      hint: `${token.slice(0, 8)}…`,
      expiresInDays: dto.expires_in_days,
    });
    return { ...toApiTokenResponse(row), token };
  }

  async list(userId: string): Promise<ApiTokenResponse[]> {
    return (await this.tokens.list(userId)).map(toApiTokenResponse);
  }

  async delete(userId: string, id: string): Promise<void> {
    if (!(await this.tokens.delete(userId, id))) throw new ApiTokenAccessDeniedException();
    // This instance refuses it at once; the others within GRANT_CACHE_MS.
    for (const [hash, cached] of this.cache) if (cached.grant?.id === id) this.cache.delete(hash);
  }

  /** The caller a personal token stands for, or a 401. */
  async authenticate(token: string): Promise<AuthUser> {
    const hash = tokenHash(token);
    const now = Date.now();
    let cached = this.cache.get(hash);
    if (!cached || cached.until <= now) {
      const grant = await this.tokens.findByHash(hash);
      if (this.cache.size >= CACHE_LIMIT) this.evict(now);
      cached = { grant, until: now + GRANT_CACHE_MS };
      this.cache.set(hash, cached);
    }
    const grant = cached.grant;
    if (!grant || (grant.expires_at && grant.expires_at.getTime() <= now)) throw new InvalidTokenException();
    this.noteUse(grant.id, now);
    return {
      id: grant.user_id,
      // Streams opened with a token end when it expires, or a year on (the longest a token can live).
      expiresAt: grant.expires_at?.getTime() ?? now + 365 * 86_400_000,
      credential: { kind: 'api-token', tokenId: grant.id, scopes: grant.scopes as ApiTokenScope[] },
    };
  }

  private evict(now: number): void {
    for (const [hash, cached] of this.cache) if (cached.until <= now) this.cache.delete(hash);
    // Still full of live entries (a flood of distinct tokens): start over rather than grow.
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
  }

  private noteUse(id: string, now: number): void {
    if (now - (this.lastUsedWritten.get(id) ?? 0) < LAST_USED_RESOLUTION_MS) return;
    this.lastUsedWritten.set(id, now);
    this.usedSinceFlush.add(id);
  }

  private async flushLastUsed(): Promise<void> {
    if (this.usedSinceFlush.size === 0) return;
    const ids = [...this.usedSinceFlush];
    this.usedSinceFlush.clear();
    if (this.lastUsedWritten.size > CACHE_LIMIT) this.lastUsedWritten.clear();
    try {
      await this.tokens.markUsed(ids);
    } catch (error) {
      this.logger.warn(`Recording token use failed: ${(error as Error).message}`);
    }
  }
}
