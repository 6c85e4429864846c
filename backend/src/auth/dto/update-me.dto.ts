import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsString, MaxLength, registerDecorator, ValidateIf } from 'class-validator';
import { IsCleanText, OptionalField } from '../../common/validation.js';
import { canonicalTimeZone } from '../../users/time-zone.js';
import { IsNormalizableEmail, PASSWORD_MAX_BYTES, PASSWORD_MIN_BYTES, PasswordBytes, toNormalizedEmail } from './credentials.dto.js';

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

  @ApiPropertyOptional({
    example: 'ada.lovelace@example.com',
    maxLength: 255,
    format: 'email',
    description: 'A new sign-in address, normalized as at sign-up; needs `current_password`. 409 if another account has it',
  })
  @OptionalField()
  @Transform(({ value }) => toNormalizedEmail(value))
  @IsString({ message: 'email must be a string' })
  @MaxLength(255, { message: 'email must be at most 255 characters' })
  @IsNormalizableEmail()
  @IsEmail({ ignore_max_length: true }, { message: 'email must be a valid email address' })
  @IsCleanText()
  email?: string;

  @ApiPropertyOptional({
    minLength: PASSWORD_MIN_BYTES,
    maxLength: PASSWORD_MAX_BYTES,
    description: 'Required with `email`: your password now (a wrong one is a 401, rate-limited like log-in)',
  })
  @ValidateIf((dto: UpdateMeDto) => dto.email !== undefined || dto.current_password !== undefined)
  @IsString({ message: 'current_password must be a string (it is required to change the email)' })
  @PasswordBytes()
  current_password?: string;
}
