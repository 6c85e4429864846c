import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsString, MaxLength, registerDecorator } from 'class-validator';
import { CharLength, IsCleanText, NullableField, OptionalField, Trim } from '../../common/validation.js';
import { isEventPattern, WEBHOOK_EVENT_TYPES } from '../event-patterns.js';

function IsEventPattern() {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isEventPattern',
      target: target.constructor,
      propertyName,
      options: {
        each: true,
        message: `each event must be an event type (${WEBHOOK_EVENT_TYPES.join(', ')}), a family such as task.* or project.*, or *`,
      },
      validator: { validate: (value: unknown) => typeof value === 'string' && isEventPattern(value) },
    });
}

export class CreateWebhookDto {
  @ApiProperty({
    maxLength: 2048,
    example: 'https://hooks.example.com/evolution-of-todo',
    description:
      'https:// (http:// only with WEBHOOK_ALLOW_HTTP=true). Its host must not resolve to a loopback, private, link-local ' +
      'or cloud metadata address (unless WEBHOOK_ALLOW_PRIVATE=true): checked now and before every delivery',
  })
  @Trim()
  @IsString({ message: 'url must be a string' })
  @MaxLength(2048, { message: 'url must be at most 2048 characters' })
  @IsCleanText()
  url!: string;

  @ApiProperty({
    type: 'array',
    items: { type: 'string', example: 'task.*' },
    minItems: 1,
    maxItems: 20,
    example: ['task.created', 'task.updated', 'task.deleted', 'project.*'],
    description: `Event types (${WEBHOOK_EVENT_TYPES.join(', ')}), families (task.*, project.*, view.*), or * for all`,
  })
  @IsArray({ message: 'events must be an array of event names' })
  @ArrayMinSize(1, { message: 'events must name at least one event' })
  @ArrayMaxSize(20, { message: 'events must have at most 20 entries' })
  @IsString({ each: true, message: 'each event must be a string' })
  @IsEventPattern()
  events!: string[];

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 500, example: 'Sync to the team calendar' })
  @NullableField()
  @Trim()
  @IsString({ message: 'description must be a string or null' })
  @CharLength(0, 500)
  @IsCleanText()
  description?: string | null;
}

export class UpdateWebhookDto extends PartialType(CreateWebhookDto) {
  @ApiPropertyOptional({ description: 'false pauses deliveries; true resumes them (and clears why the server had disabled it)' })
  @OptionalField()
  @IsBoolean({ message: 'enabled must be true or false' })
  enabled?: boolean;
}
