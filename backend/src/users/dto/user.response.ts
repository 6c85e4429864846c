import { ApiProperty } from '@nestjs/swagger';
import type { User } from '../user.entity.js';

export class UserResponse {
  @ApiProperty({ format: 'uuid', example: '1b4e28ba-2fa1-11d2-883f-0016d3cca427' })
  id!: string;

  @ApiProperty({ format: 'email', example: 'ada@example.com', description: 'As normalized at signup (see CredentialsDto)' })
  email!: string;

  @ApiProperty({ example: 'Europe/Berlin', description: 'IANA time zone name (default UTC): change it with PATCH /auth/me' })
  time_zone!: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-26T09:30:00.000Z' })
  created_at!: string;
}

export function toUserResponse(user: User): UserResponse {
  return { id: user.id, email: user.email, time_zone: user.timeZone, created_at: user.createdAt.toISOString() };
}
