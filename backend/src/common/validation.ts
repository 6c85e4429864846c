import { Transform } from 'class-transformer';
import { registerDecorator, ValidateIf, type ValidationError, type ValidationOptions } from 'class-validator';
import { ValidationFailedException } from './api-errors.js';
import type { ErrorDetail } from './error-body.js';

/** Skips validation only when the property is absent; `null` is still checked (and refused). */
export const OptionalField = () => ValidateIf((_object, value) => value !== undefined);

/** Absent or `null` are both accepted (null clears the field). */
export const NullableField = () => ValidateIf((_object, value) => value !== undefined && value !== null);

/** Trims strings; leaves anything else for the type validators to refuse. */
export const Trim = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));

/**
 * Text PostgreSQL can store verbatim: no NUL character (PostgreSQL refuses
 * it) and no lone UTF-16 surrogate (it could only be stored mangled).
 */
export function IsCleanText(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isCleanText',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: `${String(propertyName)} must not contain NUL characters or invalid Unicode`, ...options },
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || isCleanText(value),
      },
    });
}

export function isCleanText(value: string): boolean {
  return !value.includes('\u0000') && value.isWellFormed();
}

/** Length in Unicode code points, as PostgreSQL's char_length() counts it. */
export function charLength(value: string): number {
  let length = 0;
  for (const _ of value) length++;
  return length;
}

export function CharLength(min: number, max: number, options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'charLength',
      target: target.constructor,
      propertyName: String(propertyName),
      constraints: [min, max],
      options: {
        message:
          min > 0
            ? `${String(propertyName)} must be between ${min} and ${max} characters`
            : `${String(propertyName)} must be at most ${max} characters`,
        ...options,
      },
      validator: {
        validate: (value: unknown) => {
          if (typeof value !== 'string') return false;
          const length = charLength(value);
          return length >= min && length <= max;
        },
      },
    });
}

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date written YYYY-MM-DD: 2027-02-30 is refused. */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = DATE_PATTERN.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  const daysInMonth = new Date(Date.UTC(2000, month, 0)).getUTCDate();
  const isLeap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return day <= (month === 2 ? (isLeap ? 29 : 28) : daysInMonth);
}

export function IsCalendarDate(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isCalendarDate',
      target: target.constructor,
      propertyName,
      options: { message: `${propertyName} must be a real date in the form YYYY-MM-DD`, ...options },
      validator: { validate: isCalendarDate },
    });
}

/** Flattens class-validator's tree into the contract's `details` list. */
export function toErrorDetails(errors: ValidationError[], parent = ''): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  for (const error of errors) {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const constraints = Object.values(error.constraints ?? {});
    // One message per field. Decorators register bottom-up, so the last failed
    // rule is the top-most one: the type check a person should fix first.
    if (constraints.length > 0) details.push({ field, message: unknownPropertyMessage(constraints.at(-1) as string, field) });
    if (error.children?.length) details.push(...toErrorDetails(error.children, field));
  }
  return details;
}

function unknownPropertyMessage(message: string, field: string): string {
  return message.endsWith('should not exist') ? `${field} is not an allowed property` : message;
}

/**
 * Enough to fix any real request; a body or query with thousands of unknown
 * properties must not earn a response many times its own size.
 */
export const MAX_ERROR_DETAILS = 20;

export function validationExceptionFactory(errors: ValidationError[]): ValidationFailedException {
  const details = toErrorDetails(errors);
  if (details.length <= MAX_ERROR_DETAILS) return new ValidationFailedException(details);
  return new ValidationFailedException(
    details.slice(0, MAX_ERROR_DETAILS),
    `Validation failed: ${details.length} problems, the first ${MAX_ERROR_DETAILS} listed`,
  );
}
