import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, MaxLength, registerDecorator } from 'class-validator';
import { ValidationFailedException } from '../../common/api-errors.js';
import { OptionalField } from '../../common/validation.js';

/** Event ids are PostgreSQL bigints. */
const MAX_EVENT_ID = 9_223_372_036_854_775_807n;
const EVENT_ID_MESSAGE = 'must be an event id: a decimal integer between 0 and 9223372036854775807';

export function isEventId(value: unknown): value is string {
  return typeof value === 'string' && /^\d{1,19}$/.test(value) && BigInt(value) <= MAX_EVENT_ID;
}

function IsEventId() {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isEventId',
      target: target.constructor,
      propertyName,
      options: { message: `${propertyName} ${EVENT_ID_MESSAGE}` },
      validator: { validate: isEventId },
    });
}

export class EventStreamQuery {
  @ApiPropertyOptional({
    description:
      'A ticket from `POST /api/events/ticket`, for clients that cannot send `Authorization` (EventSource). ' +
      'Ignored when an Authorization header is sent.',
  })
  @OptionalField()
  @IsString({ message: 'ticket must be a single string' })
  @MaxLength(2048, { message: 'ticket must be at most 2048 characters' })
  ticket?: string;

  @ApiPropertyOptional({
    type: String,
    pattern: '^[0-9]{1,19}$',
    example: '1234',
    description:
      'Resume after this event id (what `Last-Event-ID` carries), for a client that builds a new EventSource and so ' +
      'cannot set the header. The header wins when both are sent.',
  })
  @OptionalField()
  @IsEventId()
  last_event_id?: string;
}

/**
 * The id a stream resumes after, or undefined for a fresh start. The header
 * wins: it is what an EventSource sends by itself when it reconnects, and it
 * is newer than the id a page put in the URL when it built that EventSource.
 */
export function resumePoint(header: string | undefined, query: string | undefined): bigint | undefined {
  // An EventSource that has seen no id sends no header; an empty one means the same.
  if (header !== undefined && header !== '') {
    if (!isEventId(header)) {
      throw new ValidationFailedException([{ field: 'Last-Event-ID', message: `Last-Event-ID ${EVENT_ID_MESSAGE}` }]);
    }
    return BigInt(header);
  }
  return query === undefined ? undefined : BigInt(query);
}
