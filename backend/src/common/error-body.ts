import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ErrorDetail {
  @ApiProperty({ example: 'title' })
  field!: string;

  @ApiProperty({ example: 'title must be between 3 and 255 characters' })
  message!: string;
}

export class ErrorPayload {
  @ApiProperty({ type: 'integer', example: 400, description: 'The HTTP status code' })
  code!: number;

  @ApiProperty({ example: 'Validation failed' })
  message!: string;

  @ApiPropertyOptional({ type: [ErrorDetail], description: 'Present on validation errors: one entry per bad field' })
  details?: ErrorDetail[];

  /** On a 412 only: the resource as it is now (documented by PreconditionFailedBody). */
  current?: unknown;
}

/** The one error shape of the API: `{"error": {"code", "message", "details"?}}`. */
export class ErrorBody {
  @ApiProperty({ type: ErrorPayload })
  error!: ErrorPayload;
}
