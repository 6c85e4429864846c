import { ApiHeader } from '@nestjs/swagger';
import { IDEMPOTENCY_KEY } from './preconditions.js';

/** The optional `Idempotency-Key` request header of a create or a bulk change, as checkIdempotencyKey() accepts it. */
export function ApiIdempotencyKey(description: string): MethodDecorator {
  return ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description,
    schema: { type: 'string', minLength: 1, maxLength: 255, pattern: IDEMPOTENCY_KEY.source },
  });
}

/** Sent with a stored answer replayed for a repeated Idempotency-Key. */
export const IDEMPOTENT_REPLAYED_HEADER = {
  'Idempotent-Replayed': {
    description: 'Present (true) when this is the stored answer to an earlier request with the same Idempotency-Key',
    schema: { type: 'string', enum: ['true'] },
  },
};
