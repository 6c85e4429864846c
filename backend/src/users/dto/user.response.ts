import { ApiProperty } from '@nestjs/swagger';
import type { User } from '../user.entity.js';

export class UserResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'ada@example.com' })
  email!: string;

  @ApiProperty({ example: 'Europe/Berlin', description: 'IANA time zone name (default UTC): change it with PATCH /auth/me' })
  time_zone!: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-26T09:30:00.000Z' })
  created_at!: string;
}

export function toUserResponse(user: User): UserResponse {
  return { id: user.id, email: user.email, time_zone: user.timeZone, created_at: user.createdAt.toISOString() };
}
