import { ApiProperty } from '@nestjs/swagger';
import { ViewQueryDto } from './view-query.dto.js';

export class ViewResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'Urgent at work' })
  name!: string;

  @ApiProperty({ type: ViewQueryDto, description: 'As it was given' })
  query!: ViewQueryDto;

  @ApiProperty({ type: 'number', example: 1024 })
  position!: number;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;

  @ApiProperty({ format: 'date-time' })
  updated_at!: string;

  @ApiProperty({ type: 'integer', minimum: 1, description: 'Grows with every change; the ETag is this number in quotes' })
  version!: number;
}

export interface ViewRow {
  id: string;
  name: string;
  query: ViewQueryDto;
  position: number | string;
  created_at: Date;
  updated_at: Date;
  version: number | string;
}

export function toViewResponse(row: ViewRow): ViewResponse {
  return {
    id: row.id,
    name: row.name,
    query: row.query,
    position: Number(row.position),
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    version: Number(row.version),
  };
}
