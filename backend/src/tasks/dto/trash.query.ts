import { PickType } from '@nestjs/swagger';
import { ListTasksQuery } from './list-tasks.query.js';

/** The trash is paged like the task list. */
export class TrashQuery extends PickType(ListTasksQuery, ['limit', 'offset'] as const) {}
