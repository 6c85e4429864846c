import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, registerDecorator } from 'class-validator';
import { OptionalField } from '../../common/validation.js';
import { canonicalTimeZone } from '../../users/time-zone.js';

function IsTimeZone() {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isTimeZone',
      target: target.constructor,
      propertyName,
      options: { message: `${propertyName} must be an IANA time zone name, such as Europe/Berlin or UTC` },
      validator: { validate: (value: unknown) => typeof value === 'string' && canonicalTimeZone(value) !== undefined },
    });
}

/** What the signed-in user may change about their account here. */
export class UpdateMeDto {
  @ApiPropertyOptional({
    example: 'Europe/Berlin',
    description:
      'IANA time zone name; stored in its canonical spelling. Due dates, "today" and recurrence are computed in it.',
  })
  @OptionalField()
  @Transform(({ value }) => (typeof value === 'string' ? (canonicalTimeZone(value.trim()) ?? value) : value))
  @IsTimeZone()
  @IsString({ message: 'time_zone must be a string' })
  time_zone?: string;
}
