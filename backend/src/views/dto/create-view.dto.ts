import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsNumber, IsObject, IsString, ValidateNested } from 'class-validator';
import { IsPosition } from '../../common/position.decorator.js';
import { CharLength, IsCleanText, OptionalField, Trim } from '../../common/validation.js';
import { ViewQueryDto } from './view-query.dto.js';

export class CreateViewDto {
  @ApiProperty({ minLength: 1, maxLength: 60, example: 'Urgent at work', description: 'Trimmed; unique among your views, case-insensitively' })
  @Trim()
  @IsString({ message: 'name must be a string' })
  @CharLength(1, 60)
  @IsCleanText()
  name!: string;

  @ApiProperty({
    type: ViewQueryDto,
    example: { status: ['todo', 'in-progress'], priority: ['high'], tag: ['work'], sort: 'due_date' },
    description: 'Validated exactly like the query string of GET /api/tasks; the repeatable filters are arrays. Stored as given.',
  })
  @ValidateNested()
  @Type(() => ViewQueryDto)
  @IsObject({ message: 'query must be an object' })
  query!: ViewQueryDto;

  @ApiPropertyOptional({ type: 'number', example: 1024, description: 'Order among your views (smaller first). On create, after the last' })
  @OptionalField()
  @IsPosition()
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'position must be a finite number' })
  position?: number;
}
