import { ApiProperty } from '@nestjs/swagger';

export class ProjectResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'Home' })
  name!: string;

  @ApiProperty({ type: String, nullable: true, example: '#3b82f6' })
  color!: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  parent_id!: string | null;

  @ApiProperty({ type: 'number', example: 1024 })
  position!: number;

  @ApiProperty({ description: 'Your Inbox: where tasks go when no project is named. It cannot be renamed, moved or deleted' })
  is_inbox!: boolean;

  @ApiProperty({
    type: 'integer',
    minimum: 0,
    description: 'Tasks directly in this project (not its sub-projects) that are neither done nor in the trash',
  })
  open_task_count!: number;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;

  @ApiProperty({ format: 'date-time' })
  updated_at!: string;

  @ApiProperty({ type: 'integer', minimum: 1, description: 'Grows with every change; the ETag is this number in quotes' })
  version!: number;
}

/** A project row as the repository selects it, or as the outbox stores it (to_jsonb). */
export interface ProjectRow {
  id: string;
  name: string;
  color: string | null;
  parent_id: string | null;
  position: number | string;
  is_inbox: boolean;
  open_task_count: number | string;
  created_at: Date;
  updated_at: Date;
  version: number | string;
}

export function toProjectResponse(row: ProjectRow): ProjectResponse {
  return {
    id: row.id,
    name: row.name,
    color: row.color,
    parent_id: row.parent_id,
    position: Number(row.position),
    is_inbox: row.is_inbox,
    open_task_count: Number(row.open_task_count),
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    version: Number(row.version),
  };
}
