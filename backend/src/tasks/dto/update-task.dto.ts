import { PartialType } from '@nestjs/swagger';
import { CreateTaskDto } from './create-task.dto.js';

/**
 * Any subset of the create fields. `skipNullProperties: false` keeps `null`
 * under validation, so it clears nullable fields and is refused for the rest.
 */
export class UpdateTaskDto extends PartialType(CreateTaskDto, { skipNullProperties: false }) {}
