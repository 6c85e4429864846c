import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, registerDecorator } from 'class-validator';
import { parseRule, RECURRENCE_FROM, RecurrenceRuleError, type RecurrenceFrom } from '../recurrence.js';

/** An RRULE this API supports; the message names the part at fault. */
function IsSupportedRule() {
  const problem = (value: unknown): string | undefined => {
    if (typeof value !== 'string') return 'recurrence.rrule must be a string';
    try {
      parseRule(value);
      return undefined;
    } catch (error) {
      if (error instanceof RecurrenceRuleError) return `recurrence.rrule ${error.part}: ${error.message}`;
      throw error;
    }
  };
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isSupportedRule',
      target: target.constructor,
      propertyName,
      validator: {
        validate: (value: unknown) => problem(value) === undefined,
        defaultMessage: (args) => problem(args?.value) ?? 'recurrence.rrule is not supported',
      },
    });
}

export class RecurrenceDto {
  @ApiProperty({
    example: 'FREQ=WEEKLY;BYDAY=MO,WE',
    maxLength: 500,
    description:
      'An RFC 5545 RRULE: FREQ DAILY, WEEKLY, MONTHLY or YEARLY; INTERVAL; BYDAY (an ordinal such as -1FR for MONTHLY and YEARLY); ' +
      'BYMONTHDAY (1 to 31, -1 to -31); BYMONTH; COUNT or UNTIL, not both. Dates are computed in your time zone (GET /auth/me).',
  })
  @IsSupportedRule()
  rrule!: string;

  @ApiProperty({
    enum: RECURRENCE_FROM,
    description:
      '`due`: the next occurrence follows the rule from the first due date, skipping dates already past; ' +
      '`completion`: the rule starts afresh on the day the occurrence is completed',
  })
  @IsIn(RECURRENCE_FROM, { message: `recurrence.from must be one of: ${RECURRENCE_FROM.join(', ')}` })
  @IsString({ message: 'recurrence.from must be a string' })
  from!: RecurrenceFrom;
}
