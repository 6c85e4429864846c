import { registerDecorator } from 'class-validator';
import { isUsablePosition, MAX_ABS_POSITION } from './positions.js';

/** A manual order position: finite, and within the range where doubles keep neighbours apart. */
export function IsPosition() {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isPosition',
      target: target.constructor,
      propertyName,
      options: { message: `${propertyName} must be a number between -${MAX_ABS_POSITION} and ${MAX_ABS_POSITION}` },
      validator: { validate: (value: unknown) => typeof value !== 'number' || isUsablePosition(value) },
    });
}
