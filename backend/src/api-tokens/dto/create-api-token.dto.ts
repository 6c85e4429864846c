import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsString, Max, Min } from 'class-validator';
import { API_TOKEN_SCOPES, type ApiTokenScope } from '../../common/scopes.js';
import { CharLength, IsCleanText, OptionalField, Trim } from '../../common/validation.js';

export class CreateApiTokenDto {
  @ApiProperty({ minLength: 1, maxLength: 100, example: 'Home Assistant', description: 'Trimmed; for you to recognise the token' })
  @Trim()
  @IsString({ message: 'name must be a string' })
  @CharLength(1, 100)
  @IsCleanText()
  name!: string;

  @ApiProperty({
    type: 'array',
    items: { type: 'string', enum: [...API_TOKEN_SCOPES] },
    minItems: 1,
    maxItems: API_TOKEN_SCOPES.length,
    example: ['tasks:read', 'tasks:write'],
    description: 'What the token may do. A `:write` scope includes the matching `:read`. `webhooks` manages webhooks.',
  })
  @IsArray({ message: 'scopes must be an array' })
  @ArrayMinSize(1, { message: 'scopes must name at least one scope' })
  @ArrayMaxSize(API_TOKEN_SCOPES.length, { message: `scopes must have at most ${API_TOKEN_SCOPES.length} entries` })
  @IsIn(API_TOKEN_SCOPES, { each: true, message: `each scope must be one of: ${API_TOKEN_SCOPES.join(', ')}` })
  scopes!: ApiTokenScope[];

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 365, example: 90, description: 'Absent: the token does not expire' })
  @OptionalField()
  @IsInt({ message: 'expires_in_days must be an integer between 1 and 365' })
  @Min(1, { message: 'expires_in_days must be an integer between 1 and 365' })
  @Max(365, { message: 'expires_in_days must be an integer between 1 and 365' })
  expires_in_days?: number;
}
