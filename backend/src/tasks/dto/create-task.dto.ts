import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsNumber, IsObject, IsString, IsUUID, Matches, ValidateNested } from 'class-validator';
import { trimmedLengthPattern } from '../../openapi/openapi-document.js';
import { CharLength, IsCalendarDate, IsCleanText, NullableField, OptionalField, Trim } from '../../common/validation.js';
import { IsPosition } from '../../common/position.decorator.js';
import { TASK_PRIORITIES, TASK_STATUSES, type TaskPriority, type TaskStatus } from '../task.entity.js';
import { RecurrenceDto } from './recurrence.dto.js';

export const MAX_TAGS = 20;

export class CreateTaskDto {
  @ApiProperty({
    minLength: 3,
    pattern: trimmedLengthPattern(3, 255),
    example: 'Write the quarterly report',
    description: '3 to 255 characters once surrounding white space is trimmed (it is)',
  })
  @Trim()
  @IsString({ message: 'title must be a string' })
  @CharLength(3, 255)
  @IsCleanText()
  title!: string;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 10000, example: 'Numbers from finance first' })
  @NullableField()
  @IsString({ message: 'description must be a string or null' })
  @CharLength(0, 10000)
  @IsCleanText()
  description?: string | null;

  @ApiPropertyOptional({ enum: TASK_STATUSES, description: 'On create, `todo` when absent' })
  @OptionalField()
  @IsIn(TASK_STATUSES, { message: `status must be one of: ${TASK_STATUSES.join(', ')}` })
  status?: TaskStatus;

  @ApiPropertyOptional({ enum: TASK_PRIORITIES, nullable: true, example: 'high' })
  @NullableField()
  @IsIn(TASK_PRIORITIES, { message: `priority must be one of: ${TASK_PRIORITIES.join(', ')}, or null` })
  priority?: TaskPriority | null;

  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'string', minLength: 1, pattern: trimmedLengthPattern(1, 50) },
    maxItems: MAX_TAGS,
    example: ['work', 'q3'],
    description:
      'Each tag trimmed to 1-50 characters and stored in Unicode NFC; tags equal but for letter case or normalization ' +
      'are one tag, the first spelling kept (Work, work → Work), order kept. On create, `[]` when absent',
  })
  @OptionalField()
  @Transform(({ value }) => (Array.isArray(value) ? value.map((t) => (typeof t === 'string' ? t.trim() : t)) : value))
  @IsArray({ message: 'tags must be an array of strings' })
  @ArrayMaxSize(MAX_TAGS, { message: `tags must have at most ${MAX_TAGS} entries` })
  @IsString({ each: true, message: 'each tag must be a string' })
  @CharLength(1, 50, { each: true, message: 'each tag must be between 1 and 50 characters' })
  @IsCleanText({ each: true, message: 'tags must not contain NUL characters or invalid Unicode' })
  tags?: string[];

  @ApiPropertyOptional({ type: String, format: 'date', nullable: true, example: '2027-01-31' })
  @NullableField()
  @IsCalendarDate({ message: 'due_date must be a real date in the form YYYY-MM-DD, or null' })
  due_date?: string | null;

  @ApiPropertyOptional({
    type: String,
    pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$',
    nullable: true,
    example: '09:00',
    description: 'Local time of day (your time zone), HH:MM; needs a due_date. Clearing due_date clears it.',
  })
  @NullableField()
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'due_time must be a time of day HH:MM (00:00 to 23:59), or null' })
  @IsString({ message: 'due_time must be a time of day HH:MM, or null' })
  due_time?: string | null;

  @ApiPropertyOptional({
    format: 'uuid',
    description: "One of your projects. On create, your Inbox when absent (a subtask goes in its parent's project)",
  })
  @OptionalField()
  @IsUUID('all', { message: 'project_id must be a UUID' })
  project_id?: string;

  @ApiPropertyOptional({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'The task this one is a subtask of (one of your tasks, at most 4 levels deep); null for a top-level task',
  })
  @NullableField()
  @IsUUID('all', { message: 'parent_id must be a UUID, or null' })
  parent_id?: string | null;

  @ApiPropertyOptional({
    type: 'number',
    example: 2048,
    description: 'Manual order among the tasks of the same project and parent (smaller first). On create, after the last when absent',
  })
  @OptionalField()
  @IsPosition()
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'position must be a finite number' })
  position?: number;

  @ApiPropertyOptional({
    type: RecurrenceDto,
    nullable: true,
    description: 'Repeat this task: completing an occurrence creates the next one. Needs a due_date.',
  })
  @NullableField()
  @ValidateNested()
  @Type(() => RecurrenceDto)
  @IsObject({ message: 'recurrence must be an object {rrule, from}, or null' })
  recurrence?: RecurrenceDto | null;
}
