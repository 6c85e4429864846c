import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsUUID } from 'class-validator';
import { OptionalField } from '../../common/validation.js';

export class ExportQuery {
  @ApiProperty({ enum: ['json', 'csv'], description: 'json: everything, with schema_version; csv: the tasks, one row each' })
  @IsIn(['json', 'csv'], { message: 'format must be json or csv' })
  format!: 'json' | 'csv';
}

export class ImportQuery {
  @ApiProperty({
    enum: ['json', 'csv', 'todoist'],
    description: 'json: an export of this app (application/json); csv: its CSV export (text/csv); todoist: a Todoist CSV project export (text/csv)',
  })
  @IsIn(['json', 'csv', 'todoist'], { message: 'format must be json, csv or todoist' })
  format!: 'json' | 'csv' | 'todoist';

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'true: check the upload and say what would be created; create nothing' })
  @OptionalField()
  @IsIn(['true', 'false'], { message: 'dry_run must be true or false' })
  dry_run?: 'true' | 'false';

  @ApiPropertyOptional({
    format: 'uuid',
    description:
      'One of your projects: where tasks that name no project go (the tasks of a Todoist export, CSV rows without a `project`). ' +
      'Your Inbox when absent',
  })
  @OptionalField()
  @IsUUID('all', { message: 'project_id must be a UUID' })
  project_id?: string;
}
