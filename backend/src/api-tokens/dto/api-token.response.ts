import { ApiProperty } from '@nestjs/swagger';
import { API_TOKEN_SCOPES } from '../../common/scopes.js';
import type { ApiTokenRow } from '../api-tokens.repository.js';

export class ApiTokenResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'Home Assistant' })
  name!: string;

  @ApiProperty({ type: 'array', items: { type: 'string', enum: [...API_TOKEN_SCOPES] }, example: ['tasks:read'] })
  scopes!: string[];

  @ApiProperty({ example: 'evt_AbC1…', description: 'The first characters of the token, to tell tokens apart' })
  hint!: string;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Null: never expires' })
  expires_at!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Recorded to the minute; null: never used' })
  last_used_at!: string | null;
}

export class CreatedApiTokenResponse extends ApiTokenResponse {
  @ApiProperty({
    example: 'evt_3q2-7wEh0Xgk1Zb9Yk5xQm8bq2W4cT1vN6pJrLsA0dE',
    description: 'The token, shown this once only: send it as `Authorization: Bearer evt_…`',
  })
  token!: string;
}

export function toApiTokenResponse(row: ApiTokenRow): ApiTokenResponse {
  return {
    id: row.id,
    name: row.name,
    scopes: row.scopes,
    hint: row.token_hint,
    created_at: row.created_at.toISOString(),
    expires_at: row.expires_at?.toISOString() ?? null,
    last_used_at: row.last_used_at?.toISOString() ?? null,
  };
}
