import { ApiProperty } from '@nestjs/swagger';
import { ViewResponse } from './view.response.js';

export class ViewPreconditionFailedPayload {
  @ApiProperty({ example: 412 })
  code!: number;

  @ApiProperty({ example: 'Precondition failed: the view has changed since that version' })
  message!: string;

  @ApiProperty({ type: ViewResponse, description: 'The view as it is now; its version is the ETag to send next' })
  current!: ViewResponse;
}

export class ViewPreconditionFailedBody {
  @ApiProperty({ type: ViewPreconditionFailedPayload })
  error!: ViewPreconditionFailedPayload;
}

export const VIEW_ETAG_HEADER = {
  ETag: { description: 'The view\'s version as a strong entity tag, e.g. "3"', schema: { type: 'string' } },
};
