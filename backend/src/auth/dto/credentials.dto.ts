import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsString, MaxLength, registerDecorator } from 'class-validator';
import { IsCleanText } from '../../common/validation.js';
import { type EmailProblem, normalizeEmail } from '../../users/email.js';

/** bcrypt reads at most 72 bytes: longer passwords are refused, never silently cut. */
export const PASSWORD_MIN_BYTES = 8;
export const PASSWORD_MAX_BYTES = 72;

export function PasswordBytes() {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'passwordBytes',
      target: target.constructor,
      propertyName,
      options: { message: `${propertyName} must be between ${PASSWORD_MIN_BYTES} and ${PASSWORD_MAX_BYTES} bytes long` },
      validator: {
        validate: (value: unknown) => {
          if (typeof value !== 'string') return false;
          const bytes = Buffer.byteLength(value, 'utf8');
          return bytes >= PASSWORD_MIN_BYTES && bytes <= PASSWORD_MAX_BYTES;
        },
      },
    });
}

const EMAIL_PROBLEMS: Record<EmailProblem, string> = {
  'refused-character': 'email must not contain invisible, control or bidirectional formatting characters',
  'invalid-domain': 'email must be a valid email address',
};

/**
 * The transform stores the normalized address, or leaves the trimmed input
 * when it cannot be normalized; this rule then names the reason.
 */
export function IsNormalizableEmail() {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isNormalizableEmail',
      target: target.constructor,
      propertyName,
      options: {
        message: ({ value }) => {
          const normalized = typeof value === 'string' ? normalizeEmail(value) : undefined;
          return normalized && !normalized.ok ? EMAIL_PROBLEMS[normalized.problem] : EMAIL_PROBLEMS['invalid-domain'];
        },
      },
      validator: { validate: (value: unknown) => typeof value !== 'string' || normalizeEmail(value).ok },
    });
}

export function toNormalizedEmail(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const normalized = normalizeEmail(value);
  return normalized.ok ? normalized.email : value.trim();
}

/** Signup and login read the address through the same normalization (users/email.ts). */
export class CredentialsDto {
  @ApiProperty({
    example: 'ada@example.com',
    format: 'email',
    maxLength: 255,
    description:
      'Trimmed and normalized by the server: NFKC and full case folding of the local part, UTS #46 for the domain ' +
      '(stored in Unicode form). Invisible, bidirectional-control, control, private-use and unassigned characters are refused',
  })
  @Transform(({ value }) => toNormalizedEmail(value))
  @IsString({ message: 'email must be a string' })
  @MaxLength(255, { message: 'email must be at most 255 characters' })
  @IsNormalizableEmail()
  // The contract's limit is 255 characters; validator.js would stop at 254.
  @IsEmail({ ignore_max_length: true }, { message: 'email must be a valid email address' })
  @IsCleanText()
  email!: string;

  @ApiProperty({ example: 'correct horse battery', minLength: 8, maxLength: 72, description: '8 to 72 bytes (UTF-8)' })
  @IsString({ message: 'password must be a string' })
  @PasswordBytes()
  @IsCleanText()
  password!: string;
}
