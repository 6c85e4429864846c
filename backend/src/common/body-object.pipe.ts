import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import { ValidationFailedException } from './api-errors.js';

/** A JSON body must be an object: `[]`, `"text"`, `null` or no body at all is refused plainly. */
@Injectable()
export class BodyMustBeObjectPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'body' && (typeof value !== 'object' || value === null || Array.isArray(value))) {
      throw new ValidationFailedException(
        [{ field: 'body', message: 'the request body must be a JSON object' }],
        'Request body must be a JSON object',
      );
    }
    return value;
  }
}
