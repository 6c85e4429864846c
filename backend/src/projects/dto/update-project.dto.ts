import { PartialType } from '@nestjs/swagger';
import { CreateProjectDto } from './create-project.dto.js';

/** Any subset of the create fields; `null` clears color and parent_id. */
export class UpdateProjectDto extends PartialType(CreateProjectDto, { skipNullProperties: false }) {}
