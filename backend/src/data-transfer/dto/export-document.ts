import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { RECURRENCE_FROM, type RecurrenceFrom } from '../../tasks/recurrence.js';
import { TASK_PRIORITIES, TASK_STATUSES, type TaskPriority, type TaskStatus } from '../../tasks/task.entity.js';
import { ViewQueryDto } from '../../views/dto/view-query.dto.js';

/**
 * The JSON export (`GET /api/me/export?format=json`), which is also what
 * `POST /api/me/import?format=json` reads. These classes describe the
 * document for the OpenAPI contract only; the export writes it as a stream
 * (export.service.ts) and the import checks each record itself
 * (import-records.ts), naming problems by JSON path. Ids are the exporting
 * account's: they tie records together (a task's project, parent, series) and
 * are replaced by new ones on import.
 */
export class ExportAccount {
  @ApiProperty({ format: 'email', example: 'ada@example.com' })
  email!: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-26T09:30:00.000Z' })
  created_at!: string;
}

export class ExportSettings {
  @ApiProperty({ example: 'Europe/Berlin', description: 'IANA time zone; an import sets it on the importing account' })
  time_zone!: string;
}

export class ExportProject {
  @ApiProperty({ example: '5b1f7c2e-8d0a-4c55-9d1e-3f2a6b7c8d90', description: 'Its id in the exporting account' })
  id!: string;

  @ApiProperty({ example: 'Work', description: '1 to 120 characters' })
  name!: string;

  @ApiPropertyOptional({ type: String, nullable: true, pattern: '^#[0-9a-f]{6}$', example: '#3366cc' })
  color?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'The id of its parent project in this document' })
  parent_id?: string | null;

  @ApiPropertyOptional({ type: 'number', example: 1024 })
  position?: number;

  @ApiPropertyOptional({ type: Boolean, description: 'The Inbox: imported as the importing account\'s own Inbox' })
  is_inbox?: boolean;

  @ApiPropertyOptional({ format: 'date-time', example: '2026-11-26T09:30:00.000Z' })
  created_at?: string;

  @ApiPropertyOptional({ format: 'date-time', example: '2026-11-26T09:30:00.000Z' })
  updated_at?: string;
}

export class ExportView {
  @ApiPropertyOptional({ example: '0b4c7d1e-2f3a-4b5c-8d9e-0f1a2b3c4d5e', description: 'Always in an export; an import does without' })
  id?: string;

  @ApiProperty({ example: 'Due this week', description: '1 to 60 characters' })
  name!: string;

  @ApiProperty({ type: ViewQueryDto, description: 'Its project and task ids are those of this document' })
  query!: ViewQueryDto;

  @ApiPropertyOptional({ type: 'number', example: 1024 })
  position?: number;

  @ApiPropertyOptional({ format: 'date-time', example: '2026-11-26T09:30:00.000Z' })
  created_at?: string;

  @ApiPropertyOptional({ format: 'date-time', example: '2026-11-26T09:30:00.000Z' })
  updated_at?: string;
}

export class ExportRecurrence {
  @ApiProperty({ example: 'FREQ=WEEKLY;BYDAY=MO' })
  rrule!: string;

  @ApiProperty({ enum: RECURRENCE_FROM })
  from!: RecurrenceFrom;

  @ApiPropertyOptional({ format: 'date', example: '2027-01-04', description: "The series' first due date (the task's due date when absent)" })
  start?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, example: 3, description: 'Which occurrence of the series this task is (1 when absent)' })
  n?: number;
}

export class ExportTask {
  @ApiPropertyOptional({
    example: '7d0c4c1e-52f3-4a8b-9b7e-0c9f7f0d2a11',
    description: 'Always in an export; an import needs it only for a task other records name',
  })
  id?: string;

  @ApiProperty({ example: 'Write the quarterly report' })
  title!: string;

  @ApiPropertyOptional({ type: String, nullable: true })
  description?: string | null;

  @ApiPropertyOptional({ enum: TASK_STATUSES })
  status?: TaskStatus;

  @ApiPropertyOptional({ enum: TASK_PRIORITIES, nullable: true })
  priority?: TaskPriority | null;

  @ApiPropertyOptional({ type: [String], example: ['work'] })
  tags?: string[];

  @ApiPropertyOptional({ type: String, format: 'date', nullable: true, example: '2027-01-31' })
  due_date?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: '09:00' })
  due_time?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'The id of its project in this document; the Inbox (or the import\'s project_id) when absent' })
  project_id?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'The id of its parent task in this document' })
  parent_id?: string | null;

  @ApiPropertyOptional({ type: 'number', example: 2048 })
  position?: number;

  @ApiPropertyOptional({ type: ExportRecurrence, nullable: true })
  recurrence?: ExportRecurrence | null;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'Tasks of one repeating series share it' })
  series_id?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'The id of the occurrence that followed this one, in this document' })
  next_occurrence_id?: string | null;

  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true, description: 'Set for a task in the trash' })
  deleted_at?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'In the trash with this task (the one whose deletion took it along)' })
  deleted_with?: string | null;

  @ApiPropertyOptional({ format: 'date-time', example: '2026-11-26T09:30:00.000Z' })
  created_at?: string;

  @ApiPropertyOptional({ format: 'date-time', example: '2026-11-26T09:30:00.000Z' })
  updated_at?: string;
}

export class ExportDocument {
  @ApiProperty({ type: 'integer', enum: [1, 2], example: 2, description: 'This build writes 2 and reads 1 (tasks only) and 2' })
  schema_version!: number;

  @ApiPropertyOptional({ format: 'date-time', example: '2027-01-13T09:00:00.000Z' })
  exported_at?: string;

  @ApiPropertyOptional({ type: ExportAccount, description: 'Who exported it (not imported)' })
  account?: ExportAccount;

  @ApiPropertyOptional({ type: ExportSettings })
  settings?: ExportSettings;

  @ApiPropertyOptional({ type: [ExportProject], description: 'Every project, parents before their sub-projects, the Inbox first' })
  projects?: ExportProject[];

  @ApiPropertyOptional({ type: [ExportView] })
  views?: ExportView[];

  @ApiProperty({ type: [ExportTask], description: 'Every task, the trash included, oldest first' })
  tasks!: ExportTask[];
}
