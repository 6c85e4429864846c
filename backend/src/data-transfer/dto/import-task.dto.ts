import { Transform } from 'class-transformer';
import { IsDateString, IsString, MaxLength } from 'class-validator';
import { OptionalField } from '../../common/validation.js';
import { CreateTaskDto } from '../../tasks/dto/create-task.dto.js';

/**
 * A task as an export holds it: what a create takes, plus the times it was
 * created and last changed (kept on import) and its id in the export (used
 * only to tell records apart; the import gives new ids).
 */
export class ImportTaskDto extends CreateTaskDto {
  @OptionalField()
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString({ message: 'id must be a string' })
  @MaxLength(100, { message: 'id must be at most 100 characters' })
  id?: string;

  @OptionalField()
  @IsDateString({ strict: true }, { message: 'created_at must be an ISO 8601 date-time' })
  created_at?: string;

  @OptionalField()
  @IsDateString({ strict: true }, { message: 'updated_at must be an ISO 8601 date-time' })
  updated_at?: string;
}
