import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsString, IsUUID } from 'class-validator';
import { CharLength, IsCalendarDate, IsCleanText, OptionalField } from '../../common/validation.js';
import { MAX_TAGS } from '../../tasks/dto/create-task.dto.js';
import { IsBoundedSearch, IsParentFilter, MAX_PROJECT_FILTERS, SORT_VALUES } from '../../tasks/dto/list-tasks.query.js';
import { TASK_PRIORITIES, TASK_STATUSES, type TaskPriority, type TaskStatus } from '../../tasks/task.entity.js';

/**
 * A saved list query: the filters and sort of GET /api/tasks, with the same
 * rules, as JSON; the repeatable parameters are arrays. No paging: a view is
 * what to show, not where.
 */
export class ViewQueryDto {
  @ApiPropertyOptional({ enum: TASK_STATUSES, isArray: true, example: ['todo', 'in-progress'] })
  @OptionalField()
  @ArrayMaxSize(TASK_STATUSES.length, { message: `query.status must have at most ${TASK_STATUSES.length} entries` })
  @IsIn(TASK_STATUSES, { each: true, message: `each of query.status must be one of: ${TASK_STATUSES.join(', ')}` })
  @IsArray({ message: 'query.status must be an array' })
  status?: TaskStatus[];

  @ApiPropertyOptional({ enum: TASK_PRIORITIES, isArray: true, example: ['high'] })
  @OptionalField()
  @ArrayMaxSize(TASK_PRIORITIES.length, { message: `query.priority must have at most ${TASK_PRIORITIES.length} entries` })
  @IsIn(TASK_PRIORITIES, { each: true, message: `each of query.priority must be one of: ${TASK_PRIORITIES.join(', ')}` })
  @IsArray({ message: 'query.priority must be an array' })
  priority?: TaskPriority[];

  @ApiPropertyOptional({ type: [String], maxItems: MAX_TAGS, description: 'A task must carry every tag given', example: ['work'] })
  @OptionalField()
  @IsCleanText({ each: true, message: 'query.tag must not contain NUL characters or invalid Unicode' })
  @CharLength(1, 50, { each: true, message: 'each of query.tag must be between 1 and 50 characters' })
  @IsString({ each: true, message: 'each of query.tag must be a string' })
  @ArrayMaxSize(MAX_TAGS, { message: `query.tag must have at most ${MAX_TAGS} entries` })
  @IsArray({ message: 'query.tag must be an array' })
  tag?: string[];

  @ApiPropertyOptional({ type: [String], format: 'uuid', maxItems: MAX_PROJECT_FILTERS })
  @OptionalField()
  @IsUUID('all', { each: true, message: 'each of query.project_id must be a UUID' })
  @ArrayMaxSize(MAX_PROJECT_FILTERS, { message: `query.project_id must have at most ${MAX_PROJECT_FILTERS} entries` })
  @IsArray({ message: 'query.project_id must be an array' })
  project_id?: string[];

  @ApiPropertyOptional({ type: Boolean })
  @OptionalField()
  @IsBoolean({ message: 'query.include_subprojects must be true or false' })
  include_subprojects?: boolean;

  @ApiPropertyOptional({ type: String, example: 'none', description: 'A task id (its subtasks), or none (top-level tasks only)' })
  @OptionalField()
  @IsParentFilter()
  parent_id?: string;

  @ApiPropertyOptional({ maxLength: 255 })
  @OptionalField()
  @IsBoundedSearch()
  @IsCleanText()
  @CharLength(0, 255, { message: 'query.q must be at most 255 characters' })
  @IsString({ message: 'query.q must be a string' })
  q?: string;

  @ApiPropertyOptional({ type: String, format: 'date' })
  @OptionalField()
  @IsCalendarDate({ message: 'query.due_before must be a real date in the form YYYY-MM-DD' })
  due_before?: string;

  @ApiPropertyOptional({ type: String, format: 'date' })
  @OptionalField()
  @IsCalendarDate({ message: 'query.due_after must be a real date in the form YYYY-MM-DD' })
  due_after?: string;

  @ApiPropertyOptional({ enum: SORT_VALUES })
  @OptionalField()
  @IsIn(SORT_VALUES, { message: `query.sort must be one of: ${SORT_VALUES.join(', ')}` })
  sort?: string;
}
