import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsNumber, IsString, IsUUID, Matches } from 'class-validator';
import { IsPosition } from '../../common/position.decorator.js';
import { CharLength, IsCleanText, NullableField, OptionalField, Trim } from '../../common/validation.js';

export class CreateProjectDto {
  @ApiProperty({
    minLength: 1,
    maxLength: 120,
    example: 'Home',
    description: 'Trimmed; unique among the projects with the same parent, case-insensitively',
  })
  @Trim()
  @IsString({ message: 'name must be a string' })
  @CharLength(1, 120)
  @IsCleanText()
  name!: string;

  @ApiPropertyOptional({ type: String, nullable: true, pattern: '^#[0-9a-fA-F]{6}$', example: '#3b82f6', description: 'Stored in lower case' })
  @NullableField()
  @Transform(({ value }) => (typeof value === 'string' ? value.toLowerCase() : value))
  @Matches(/^#[0-9a-f]{6}$/, { message: 'color must be #rrggbb (six hexadecimal digits), or null' })
  @IsString({ message: 'color must be #rrggbb, or null' })
  color?: string | null;

  @ApiPropertyOptional({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'The project this one is a sub-project of (projects nest at most 3 levels deep); null for top level',
  })
  @NullableField()
  @IsUUID('all', { message: 'parent_id must be a UUID, or null' })
  parent_id?: string | null;

  @ApiPropertyOptional({ type: 'number', example: 2048, description: 'Order among siblings (smaller first). On create, after the last' })
  @OptionalField()
  @IsPosition()
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'position must be a finite number' })
  position?: number;
}
