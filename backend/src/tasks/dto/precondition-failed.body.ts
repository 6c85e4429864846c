import { ApiProperty } from '@nestjs/swagger';
import { TaskResponse } from './task.response.js';

export class PreconditionFailedPayload {
  @ApiProperty({ type: 'integer', enum: [412], example: 412 })
  code!: number;

  @ApiProperty({ example: 'Precondition failed: the task has changed since that version' })
  message!: string;

  @ApiProperty({ type: TaskResponse, description: 'The task as it is now; its version is the ETag to send next' })
  current!: TaskResponse;
}

/** The error shape of a 412, with the current task added. */
export class PreconditionFailedBody {
  @ApiProperty({ type: PreconditionFailedPayload })
  error!: PreconditionFailedPayload;
}

/** The ETag response header of a single task, for @ApiResponse. */
export const TASK_ETAG_HEADER = {
  ETag: { description: 'The task\'s version as a strong entity tag, e.g. "3"', schema: { type: 'string' } },
};
