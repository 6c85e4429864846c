import { ApiProperty } from '@nestjs/swagger';
import { IsString } from 'class-validator';
import { IsCleanText } from '../../common/validation.js';
import { PASSWORD_MAX_BYTES, PASSWORD_MIN_BYTES, PasswordBytes } from './credentials.dto.js';

export class ChangePasswordDto {
  @ApiProperty({ minLength: PASSWORD_MIN_BYTES, maxLength: PASSWORD_MAX_BYTES, example: 'correct horse battery' })
  @IsString({ message: 'current_password must be a string' })
  @PasswordBytes()
  current_password!: string;

  @ApiProperty({ minLength: PASSWORD_MIN_BYTES, maxLength: PASSWORD_MAX_BYTES, example: 'staple battery horse correct', description: '8 to 72 bytes (UTF-8)' })
  @IsString({ message: 'new_password must be a string' })
  @PasswordBytes()
  @IsCleanText()
  new_password!: string;
}

export class DeleteAccountDto {
  @ApiProperty({ minLength: PASSWORD_MIN_BYTES, maxLength: PASSWORD_MAX_BYTES, description: 'Your password, to confirm' })
  @IsString({ message: 'password must be a string' })
  @PasswordBytes()
  password!: string;
}
