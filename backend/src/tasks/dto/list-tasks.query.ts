import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsIn, IsInt, IsString, IsUUID, Max, Min, registerDecorator } from 'class-validator';
import { CharLength, IsCalendarDate, IsCleanText, OptionalField } from '../../common/validation.js';
import { TASK_PRIORITIES, TASK_STATUSES, type TaskPriority, type TaskStatus } from '../task.entity.js';
import { MAX_TAGS } from './create-task.dto.js';
import { ApiCommaListQuery } from '../../openapi/openapi-document.js';
import { MAX_TRIGRAM_REPEATS, overRepeatedTrigram } from '../search-text.js';

export const SORT_FIELDS = ['created_at', 'updated_at', 'due_date', 'priority', 'title', 'position'] as const;
export const SORT_VALUES = SORT_FIELDS.flatMap((field) => [field, `-${field}`]);
export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 100;

/** `a,b` and repeated parameters both become one list. */
const toList = () =>
  Transform(({ value }) =>
    (Array.isArray(value) ? value : [value]).flatMap((v) => (typeof v === 'string' ? v.split(',') : [v])),
  );

/** Digits only: `1.5`, `1e2`, ` 3` and `` stay strings and fail @IsInt. */
const toInteger = () =>
  Transform(({ value }) => (typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value));

/** How many projects one list may name. */
export const MAX_PROJECT_FILTERS = 50;

/** `none`, or a task id. */
export function IsParentFilter() {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isParentFilter',
      target: target.constructor,
      propertyName,
      options: { message: 'parent_id must be a task id, or none for top-level tasks only' },
      validator: {
        validate: (value: unknown) =>
          value === 'none' || (typeof value === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)),
      },
    });
}

/** A search text whose cost is bounded (see search-text.ts). */
export function IsBoundedSearch() {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isBoundedSearch',
      target: target.constructor,
      propertyName,
      options: {
        message: `q must not repeat any three characters more than ${MAX_TRIGRAM_REPEATS} times (case-insensitively)`,
      },
      validator: { validate: (value: unknown) => typeof value !== 'string' || overRepeatedTrigram(value) === undefined },
    });
}

export class ListTasksQuery {
  @ApiCommaListQuery({
    description: 'One status or a comma-separated list (repeating the parameter works too)',
    enum: TASK_STATUSES,
    example: ['todo', 'in-progress'],
  })
  @OptionalField()
  @toList()
  @IsIn(TASK_STATUSES, { each: true, message: `status must be a comma list of: ${TASK_STATUSES.join(', ')}` })
  status?: TaskStatus[];

  @ApiCommaListQuery({
    description: 'One priority or a comma-separated list (repeating the parameter works too)',
    enum: TASK_PRIORITIES,
    example: ['high', 'medium'],
  })
  @OptionalField()
  @toList()
  @IsIn(TASK_PRIORITIES, { each: true, message: `priority must be a comma list of: ${TASK_PRIORITIES.join(', ')}` })
  priority?: TaskPriority[];

  @ApiPropertyOptional({
    description: 'Repeatable; a task must carry every tag given, spelled as stored (exact match after Unicode NFC)',
    type: 'array',
    items: { type: 'string', minLength: 1, maxLength: 50 },
    maxItems: MAX_TAGS,
    example: ['work'],
  })
  @OptionalField()
  @Transform(({ value }) => (Array.isArray(value) ? value : [value]))
  @ArrayMaxSize(MAX_TAGS, { message: `at most ${MAX_TAGS} tag filters` })
  @IsString({ each: true })
  @CharLength(1, 50, { each: true, message: 'each tag must be between 1 and 50 characters' })
  @IsCleanText({ each: true, message: 'tag must not contain NUL characters or invalid Unicode' })
  tag?: string[];

  @ApiPropertyOptional({
    description:
      'Case-insensitive substring of title or description; % and _ match literally. No three characters may occur ' +
      `more than ${MAX_TRIGRAM_REPEATS} times in it (so \`aaaaaaa\` is refused): such a text is what makes a substring search slow.`,
    maxLength: 255,
  })
  @OptionalField()
  @IsBoundedSearch()
  @IsString({ message: 'q must be a single string' })
  @CharLength(0, 255, { message: 'q must be at most 255 characters' })
  @IsCleanText()
  q?: string;

  @ApiPropertyOptional({
    description: 'Repeatable (or a comma-separated list): tasks in any of these projects',
    type: String,
    isArray: true,
    format: 'uuid',
  })
  @OptionalField()
  @toList()
  @ArrayMaxSize(MAX_PROJECT_FILTERS, { message: `at most ${MAX_PROJECT_FILTERS} project_id filters` })
  @IsUUID('all', { each: true, message: 'each project_id must be a UUID' })
  project_id?: string[];

  @ApiPropertyOptional({
    description: 'With project_id: their sub-projects too (all levels)',
    type: Boolean,
  })
  @OptionalField()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsIn([true, false], { message: 'include_subprojects must be true or false' })
  include_subprojects?: boolean;

  @ApiPropertyOptional({
    description: 'A task id: its subtasks only; `none`: top-level tasks only',
    type: String,
    example: 'none',
  })
  @OptionalField()
  @IsParentFilter()
  parent_id?: string;

  @ApiPropertyOptional({ format: 'date', description: 'Due on or before this date', type: String })
  @OptionalField()
  @IsCalendarDate()
  due_before?: string;

  @ApiPropertyOptional({ format: 'date', description: 'Due on or after this date', type: String })
  @OptionalField()
  @IsCalendarDate()
  due_after?: string;

  @ApiPropertyOptional({
    enum: SORT_VALUES,
    default: '-created_at',
    description: 'Prefix with - for descending; tasks without a due date or priority come last either way',
  })
  @OptionalField()
  @IsIn(SORT_VALUES, { message: `sort must be one of: ${SORT_VALUES.join(', ')}` })
  sort?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT, description: 'Tasks per page' })
  @OptionalField()
  @toInteger()
  @IsInt({ message: `limit must be an integer between 1 and ${MAX_LIMIT}` })
  @Min(1, { message: `limit must be an integer between 1 and ${MAX_LIMIT}` })
  @Max(MAX_LIMIT, { message: `limit must be an integer between 1 and ${MAX_LIMIT}` })
  limit?: number;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: 1_000_000_000,
    default: 0,
    description: 'Tasks to skip: the first page is offset 0',
  })
  @OptionalField()
  @toInteger()
  @IsInt({ message: 'offset must be a non-negative integer' })
  @Min(0, { message: 'offset must be a non-negative integer' })
  @Max(1_000_000_000, { message: 'offset must be at most 1000000000' })
  offset?: number;
}
