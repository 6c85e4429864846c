import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsUUID } from 'class-validator';
import { OptionalField } from '../../common/validation.js';

export const DELETE_PROJECT_TASKS = ['trash', 'move'] as const;

export class DeleteProjectQuery {
  @ApiPropertyOptional({
    enum: DELETE_PROJECT_TASKS,
    description:
      'For a project with tasks or sub-projects (otherwise a 409): `trash` puts its tasks in the trash and deletes its sub-projects ' +
      'the same way; `move` moves its tasks and sub-projects to the project `to`',
  })
  @OptionalField()
  @IsIn(DELETE_PROJECT_TASKS, { message: `tasks must be one of: ${DELETE_PROJECT_TASKS.join(', ')}` })
  tasks?: (typeof DELETE_PROJECT_TASKS)[number];

  @ApiPropertyOptional({ format: 'uuid', description: 'With tasks=move, and only then: where they go (one of your other projects)' })
  @OptionalField()
  @IsUUID('all', { message: 'to must be a project id' })
  to?: string;
}
