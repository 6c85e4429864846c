import { AbstractControl, ValidationErrors, ValidatorFn } from '@angular/forms';

// Same rules as the API: a syntactically valid address of at most 255 characters.
const EMAIL_PATTERN = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;
export const EMAIL_MAX_LENGTH = 255;
export const PASSWORD_MIN_BYTES = 8;
// bcrypt ignores everything after 72 bytes, so the API refuses longer passwords.
export const PASSWORD_MAX_BYTES = 72;

export const emailValidator: ValidatorFn = (control: AbstractControl): ValidationErrors | null => {
  const value = String(control.value ?? '').trim();
  if (!value) return { required: true };
  if (value.length > EMAIL_MAX_LENGTH) return { maxlength: true };
  return EMAIL_PATTERN.test(value) ? null : { email: true };
};

export function utf8Length(value: string): number {
  return new TextEncoder().encode(value).length;
}

export const passwordValidator: ValidatorFn = (
  control: AbstractControl,
): ValidationErrors | null => {
  const value = String(control.value ?? '');
  if (!value) return { required: true };
  const bytes = utf8Length(value);
  if (bytes < PASSWORD_MIN_BYTES) return { tooShort: true };
  if (bytes > PASSWORD_MAX_BYTES) return { tooLong: true };
  return null;
};

export function emailErrorText(errors: ValidationErrors | null): string | null {
  if (!errors) return null;
  if (errors['server']) return String(errors['server']);
  if (errors['required']) return 'Enter your email address.';
  if (errors['maxlength']) return `Email must be at most ${EMAIL_MAX_LENGTH} characters.`;
  if (errors['email']) return 'Enter a valid email address, like name@example.com.';
  return null;
}

export function passwordErrorText(errors: ValidationErrors | null): string | null {
  if (!errors) return null;
  if (errors['server']) return String(errors['server']);
  if (errors['required']) return 'Enter your password.';
  if (errors['tooShort']) return `Password must be at least ${PASSWORD_MIN_BYTES} characters.`;
  if (errors['tooLong']) return `Password must be at most ${PASSWORD_MAX_BYTES} bytes.`;
  return null;
}
