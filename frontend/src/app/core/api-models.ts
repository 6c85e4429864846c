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
export type PreconditionFailedBody = Schemas['PreconditionFailedBody'];

export type EventTicket = Schemas['EventTicketResponse'];
export type ReadyEventData = Schemas['ReadyEventData'];
type TaskEventData = Schemas['TaskEventData'];
/** A change on the event stream; `task` is present exactly when the task still exists. */
export type TaskUpsertEvent = Omit<TaskEventData, 'type' | 'task'> & {
  type: 'task.created' | 'task.updated';
  task: Task;
};
export type TaskDeletedEvent = Omit<TaskEventData, 'type' | 'task'> & { type: 'task.deleted' };
export type TaskChangeEvent = TaskUpsertEvent | TaskDeletedEvent;

type ListQuery = NonNullable<operations['TasksController_list']['parameters']['query']>;
export type TaskSort = NonNullable<ListQuery['sort']>;

export type Project = Schemas['ProjectResponse'];
export type CreateProjectInput = Schemas['CreateProjectDto'];
export type UpdateProjectInput = Schemas['UpdateProjectDto'];
export type SavedView = Schemas['ViewResponse'];
export type ViewQuery = Schemas['ViewQueryDto'];
export type CreateViewInput = Schemas['CreateViewDto'];
export type UpdateViewInput = Schemas['UpdateViewDto'];
export type TrashedTask = Schemas['TrashedTaskResponse'];
export type BulkUpdateInput = Schemas['BulkUpdateDto'];
export type BulkSet = Schemas['BulkSetDto'];
export type Recurrence = Schemas['RecurrenceDto'];

type ProjectEventData = Schemas['ProjectEventData'];
type ViewEventData = Schemas['ViewEventData'];
/** A project change on the event stream; `project` is present unless it was deleted. */
export type ProjectChangeEvent =
  | (Omit<ProjectEventData, 'type' | 'project'> & {
      type: 'project.created' | 'project.updated';
      project: Project;
    })
  | (Omit<ProjectEventData, 'type' | 'project'> & { type: 'project.deleted' });
/** A saved view's change on the event stream; `view` is present unless it was deleted. */
export type ViewChangeEvent =
  | (Omit<ViewEventData, 'type' | 'view'> & {
      type: 'view.created' | 'view.updated';
      view: SavedView;
    })
  | (Omit<ViewEventData, 'type' | 'view'> & { type: 'view.deleted' });
export type UpdateMeInput = Schemas['UpdateMeDto'];
export type SessionInfo = Schemas['SessionResponse'];
export type ApiToken = Schemas['ApiTokenResponse'];
export type CreatedApiToken = Schemas['CreatedApiTokenResponse'];
export type CreateApiTokenInput = Schemas['CreateApiTokenDto'];
export type ApiTokenScope = CreateApiTokenInput['scopes'][number];
export type Webhook = Schemas['WebhookResponse'];
export type CreatedWebhook = Schemas['CreatedWebhookResponse'];
export type CreateWebhookInput = Schemas['CreateWebhookDto'];
export type UpdateWebhookInput = Schemas['UpdateWebhookDto'];
export type WebhookDelivery = Schemas['DeliveryResponse'];
export type ImportResult = Schemas['ImportResultResponse'];
export type ImportPreviewTask = Schemas['ImportPreviewTask'];
