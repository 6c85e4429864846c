// Names for the API's shapes. They come from the OpenAPI document (docs/openapi.json) through
// the generated api-types.ts (`npm run gen:api`), so they cannot drift from the server.
import type { components, operations } from './api-types';

type Schemas = components['schemas'];

export type User = Schemas['UserResponse'];
export type AuthResponse = Schemas['AuthResponse'];
export type Credentials = Schemas['CredentialsDto'];
export type Task = Schemas['TaskResponse'];
export type TaskStatus = Task['status'];
export type TaskPriority = NonNullable<Task['priority']>;
export type CreateTaskInput = Schemas['CreateTaskDto'];
export type UpdateTaskInput = Schemas['UpdateTaskDto'];
export type ApiErrorBody = Schemas['ErrorBody'];
export type ApiFieldError = Schemas['ErrorDetail'];

type ListQuery = NonNullable<operations['TasksController_list']['parameters']['query']>;
export type TaskSort = NonNullable<ListQuery['sort']>;
