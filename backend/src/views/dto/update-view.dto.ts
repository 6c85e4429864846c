import { PartialType } from '@nestjs/swagger';
import { CreateViewDto } from './create-view.dto.js';

/** Any subset of the create fields; a `query` replaces the whole stored query. */
export class UpdateViewDto extends PartialType(CreateViewDto, { skipNullProperties: false }) {}
