import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsObject, IsString, IsUUID, ValidateNested } from 'class-validator';
import { CharLength, IsCleanText, OptionalField } from '../../common/validation.js';
import { CreateTaskDto, MAX_TAGS } from './create-task.dto.js';
import { TaskResponse } from './task.response.js';

export const MAX_BULK_IDS = 100;

class BulkIds {
  @ApiProperty({
    type: [String],
    format: 'uuid',
    minItems: 1,
    maxItems: MAX_BULK_IDS,
    description: `1 to ${MAX_BULK_IDS} of your task ids, each once`,
  })
  @IsArray({ message: 'ids must be an array of task ids' })
  @ArrayMinSize(1, { message: 'ids must name at least one task' })
  @ArrayMaxSize(MAX_BULK_IDS, { message: `ids must name at most ${MAX_BULK_IDS} tasks` })
  @IsUUID('all', { each: true, message: 'each of ids must be a UUID' })
  ids!: string[];
}

/** The fields a bulk edit may set: each has the meaning it has in a PATCH. */
export class BulkSetDto extends PickType(CreateTaskDto, ['status', 'priority', 'due_date', 'due_time', 'project_id'] as const) {}

/** A list of tags to add or remove, each checked as a task's tags are. */
function TagList(field: 'add_tags' | 'remove_tags') {
  // Applied in this order, as stacked decorators are from the bottom up: the
  // type check comes last, so its message is the one a client sees first.
  return applyDecorators(
    IsCleanText({ each: true, message: 'tags must not contain NUL characters or invalid Unicode' }),
    CharLength(1, 50, { each: true, message: 'each tag must be between 1 and 50 characters' }),
    IsString({ each: true, message: 'each tag must be a string' }),
    ArrayMaxSize(MAX_TAGS, { message: `${field} must have at most ${MAX_TAGS} entries` }),
    IsArray({ message: `${field} must be an array of strings` }),
    Transform(({ value }) => (Array.isArray(value) ? value.map((t) => (typeof t === 'string' ? t.trim() : t)) : value)),
    OptionalField(),
    ApiPropertyOptional({
      type: [String],
      maxItems: MAX_TAGS,
      description: field === 'add_tags' ? 'Tags to add to each task (kept once per spelling)' : 'Tags to remove from each task (any case)',
    }),
  );
}

export class BulkUpdateDto extends BulkIds {
  @ApiPropertyOptional({ type: BulkSetDto, description: 'Fields to set on every task' })
  @OptionalField()
  @ValidateNested()
  @Type(() => BulkSetDto)
  @IsObject({ message: 'set must be an object' })
  set?: BulkSetDto;

  @TagList('add_tags')
  add_tags?: string[];

  @TagList('remove_tags')
  remove_tags?: string[];
}

export class BulkDeleteDto extends BulkIds {}

export class BulkUpdateResponse {
  @ApiProperty({ type: [TaskResponse], description: 'The tasks after the change, in the order of ids' })
  tasks!: TaskResponse[];
}

export class BulkDeleteResponse {
  @ApiProperty({ type: 'integer', example: 3, description: 'How many of the tasks named went to the trash (their subtasks went along)' })
  deleted!: number;
}
