import { ApiProperty } from '@nestjs/swagger';
import type { SessionRow } from '../sessions.repository.js';

export class SessionResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'Firefox 133 on Linux', description: 'From the User-Agent of the sign-in' })
  device!: string;

  @ApiProperty({ type: String, nullable: true, example: '203.0.113.7', description: 'Client address at the last use' })
  ip!: string | null;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;

  @ApiProperty({ format: 'date-time', description: 'The last sign-in or refresh' })
  last_used_at!: string;

  @ApiProperty({ format: 'date-time', description: 'Ends then unless used again (REFRESH_TTL_DAYS after the last use)' })
  expires_at!: string;

  @ApiProperty({ description: 'The session of the access token that asked' })
  current!: boolean;
}

export function toSessionResponse(row: SessionRow, currentSessionId: string | undefined): SessionResponse {
  return {
    id: row.id,
    device: row.device_label,
    ip: row.ip,
    created_at: row.created_at.toISOString(),
    last_used_at: row.last_used_at.toISOString(),
    expires_at: row.expires_at.toISOString(),
    current: row.id === currentSessionId,
  };
}
