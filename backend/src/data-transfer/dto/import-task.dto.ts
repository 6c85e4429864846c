import { OmitType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsDateString, IsInt, IsObject, IsString, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { IsCalendarDate, NullableField, OptionalField } from '../../common/validation.js';
import { CreateProjectDto } from '../../projects/dto/create-project.dto.js';
import { CreateTaskDto } from '../../tasks/dto/create-task.dto.js';
import { RecurrenceDto } from '../../tasks/dto/recurrence.dto.js';
import { CreateViewDto } from '../../views/dto/create-view.dto.js';

/**
 * The records of an import, validated as their creates are (plus what an
 * export holds beyond a create). Ids name records of the same file (a task's
 * project, parent, series): strings up to 100 characters, since a CSV written
 * by hand may use any; the import gives every record a new id.
 */
function Ref(field: string, nullable = true): PropertyDecorator {
  return (target: object, key: string | symbol) => {
    const name = key as string;
    (nullable ? NullableField() : OptionalField())(target, name);
    Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))(target, name);
    IsString({ message: `${field} must be a string${nullable ? ', or null' : ''}` })(target, name);
    MaxLength(100, { message: `${field} must be at most 100 characters` })(target, name);
  };
}

function Timestamp(field: string, nullable = false): PropertyDecorator {
  return (target: object, key: string | symbol) => {
    const name = key as string;
    (nullable ? NullableField() : OptionalField())(target, name);
    IsDateString({ strict: true }, { message: `${field} must be an ISO 8601 date-time${nullable ? ', or null' : ''}` })(target, name);
  };
}

/** A repetition as exported: the rule, and where in its series the task is. */
export class ImportRecurrenceDto extends RecurrenceDto {
  @OptionalField()
  @IsCalendarDate({ message: 'recurrence.start must be a real date in the form YYYY-MM-DD' })
  start?: string;

  @OptionalField()
  @IsInt({ message: 'recurrence.n must be a whole number' })
  @Min(1, { message: 'recurrence.n must be at least 1' })
  @Max(10_000, { message: 'recurrence.n must be at most 10000' })
  n?: number;
}

export class ImportTaskDto extends OmitType(CreateTaskDto, ['project_id', 'parent_id', 'recurrence'] as const) {
  @Ref('id', false)
  id?: string;

  @Ref('project_id')
  project_id?: string | null;

  @Ref('parent_id')
  parent_id?: string | null;

  @NullableField()
  @ValidateNested()
  @Type(() => ImportRecurrenceDto)
  @IsObject({ message: 'recurrence must be an object {rrule, from}, or null' })
  recurrence?: ImportRecurrenceDto | null;

  @Ref('series_id')
  series_id?: string | null;

  @Ref('next_occurrence_id')
  next_occurrence_id?: string | null;

  @Timestamp('deleted_at', true)
  deleted_at?: string | null;

  @Ref('deleted_with')
  deleted_with?: string | null;

  @Timestamp('created_at')
  created_at?: string;

  @Timestamp('updated_at')
  updated_at?: string;
}

export class ImportProjectDto extends OmitType(CreateProjectDto, ['parent_id'] as const) {
  @Ref('id', false)
  id?: string;

  @Ref('parent_id')
  parent_id?: string | null;

  @OptionalField()
  @IsBoolean({ message: 'is_inbox must be true or false' })
  is_inbox?: boolean;

  @Timestamp('created_at')
  created_at?: string;

  @Timestamp('updated_at')
  updated_at?: string;
}

export class ImportViewDto extends CreateViewDto {
  @Ref('id', false)
  id?: string;

  @Timestamp('created_at')
  created_at?: string;

  @Timestamp('updated_at')
  updated_at?: string;
}
