import { ApiProperty } from '@nestjs/swagger';
import { ProjectResponse } from './project.response.js';

export class ProjectPreconditionFailedPayload {
  @ApiProperty({ example: 412 })
  code!: number;

  @ApiProperty({ example: 'Precondition failed: the project has changed since that version' })
  message!: string;

  @ApiProperty({ type: ProjectResponse, description: 'The project as it is now; its version is the ETag to send next' })
  current!: ProjectResponse;
}

/** The error shape of a 412 on a project, with the current project added. */
export class ProjectPreconditionFailedBody {
  @ApiProperty({ type: ProjectPreconditionFailedPayload })
  error!: ProjectPreconditionFailedPayload;
}

export const PROJECT_ETAG_HEADER = {
  ETag: { description: 'The project\'s version as a strong entity tag, e.g. "3"', schema: { type: 'string' } },
};
