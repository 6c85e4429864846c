import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ErrorDetail } from '../../common/error-body.js';
import { TASK_PRIORITIES, TASK_STATUSES } from '../../tasks/task.entity.js';

export class ImportCounts {
  @ApiProperty({ type: 'integer', minimum: 0, example: 3, description: 'New projects (the Inbox of an export is yours, not a new one)' })
  projects!: number;

  @ApiProperty({ type: 'integer', minimum: 0, example: 2 })
  views!: number;

  @ApiProperty({ type: 'integer', minimum: 0, example: 120, description: 'Tasks, subtasks and tasks in the trash' })
  tasks!: number;
}

export class ImportedRecurrence {
  @ApiProperty({ example: 'FREQ=WEEKLY;BYDAY=MO' })
  rrule!: string;

  @ApiProperty({ enum: ['due', 'completion'] })
  from!: 'due' | 'completion';
}

/** A task as a dry run says it would be created. */
export class ImportPreviewTask {
  @ApiProperty({ example: 'line 5', description: 'Where in the upload it comes from: a line (CSV) or a JSON path' })
  source!: string;

  @ApiProperty({ example: 'Water the plants' })
  title!: string;

  @ApiProperty({ type: String, nullable: true })
  description!: string | null;

  @ApiProperty({ enum: TASK_STATUSES })
  status!: string;

  @ApiProperty({ enum: [...TASK_PRIORITIES, null], nullable: true })
  priority!: string | null;

  @ApiProperty({ type: [String] })
  tags!: string[];

  @ApiProperty({ type: String, format: 'date', nullable: true })
  due_date!: string | null;

  @ApiProperty({ example: 'Work / Reports', description: 'Its project, as the path of names from the top' })
  project!: string;

  @ApiPropertyOptional({ example: '09:00' })
  due_time?: string;

  @ApiPropertyOptional({ type: ImportedRecurrence })
  recurrence?: ImportedRecurrence;

  @ApiPropertyOptional({ example: 'line 4', description: 'The `source` of its parent task' })
  parent?: string;

  @ApiPropertyOptional({ type: Boolean, description: 'Present (true) for a task that goes to the trash' })
  in_trash?: boolean;
}

export class ImportResultResponse {
  @ApiProperty({ description: 'true: nothing was created; `created` is what the import would create' })
  dry_run!: boolean;

  @ApiProperty({ enum: ['json', 'csv', 'todoist'] })
  format!: 'json' | 'csv' | 'todoist';

  @ApiProperty({ type: ImportCounts })
  created!: ImportCounts;

  @ApiProperty({
    type: [ErrorDetail],
    description: 'Everything the import changed or left out on the way (`field` names the line or JSON path); at most 1,000',
  })
  warnings!: ErrorDetail[];

  @ApiPropertyOptional({ type: 'integer', description: 'Warnings beyond the 1,000 listed' })
  warnings_not_listed?: number;

  @ApiPropertyOptional({ type: [ImportPreviewTask], description: 'Dry run only: the first 100 tasks as they would be created' })
  preview?: ImportPreviewTask[];
}
