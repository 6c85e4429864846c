import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsString, MaxLength, registerDecorator } from 'class-validator';
import { IsCleanText } from '../../common/validation.js';

/** bcrypt reads at most 72 bytes: longer passwords are refused, never silently cut. */
export const PASSWORD_MIN_BYTES = 8;
export const PASSWORD_MAX_BYTES = 72;

function PasswordBytes() {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'passwordBytes',
      target: target.constructor,
      propertyName,
      options: { message: `password must be between ${PASSWORD_MIN_BYTES} and ${PASSWORD_MAX_BYTES} bytes long` },
      validator: {
        validate: (value: unknown) => {
          if (typeof value !== 'string') return false;
          const bytes = Buffer.byteLength(value, 'utf8');
          return bytes >= PASSWORD_MIN_BYTES && bytes <= PASSWORD_MAX_BYTES;
        },
      },
    });
}

export class CredentialsDto {
  @ApiProperty({ example: 'ada@example.com', maxLength: 255, description: 'Trimmed and lower-cased by the server' })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsString({ message: 'email must be a string' })
  @MaxLength(255, { message: 'email must be at most 255 characters' })
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
