import type { ExecutionContext } from '@nestjs/common';
import { TaskAccessDeniedException, ValidationFailedException } from '../common/api-errors.js';
import type { TaskResponse } from './dto/task.response.js';
import { TaskOwnershipGuard } from './task-ownership.guard.js';
import type { UsersService } from '../users/users.service.js';
import type { TasksService } from './tasks.service.js';

const OWNER = '1b4e28ba-2fa1-11d2-883f-0016d3cca427';
const TASK_ID = '7d0c4c1e-52f3-4a8b-9b7e-0c9f7f0d2a11';
const task = { id: TASK_ID, user_id: OWNER, title: 'Mine' } as TaskResponse;

/** Stands in for the database: one task, owned by OWNER. */
const tasks = {
  findOwnedOrFail: async (userId: string, id: string) => {
    if (userId === OWNER && id === TASK_ID) return task;
    throw new TaskAccessDeniedException();
  },
} as unknown as TasksService;

function contextFor(userId: string, id: string) {
  const request: Record<string, unknown> = { user: { id: userId }, params: { id } };
  const context = { switchToHttp: () => ({ getRequest: () => request }) } as unknown as ExecutionContext;
  return { request, context };
}

describe('TaskOwnershipGuard', () => {
  const users = { assertExists: async () => undefined } as unknown as UsersService;
  const guard = new TaskOwnershipGuard(tasks, users);

  it("lets the owner through and hands the task on", async () => {
    const { request, context } = contextFor(OWNER, TASK_ID);
    await expect(guard.canActivate(context)).resolves.toBe(true);
    expect(request.ownedTask).toBe(task);
  });

  it('refuses another user with the same 403 as a missing task', async () => {
    await expect(guard.canActivate(contextFor('2c4e28ba-2fa1-11d2-883f-0016d3cca427', TASK_ID).context)).rejects.toBeInstanceOf(
      TaskAccessDeniedException,
    );
    await expect(guard.canActivate(contextFor(OWNER, '00000000-0000-0000-0000-000000000000').context)).rejects.toBeInstanceOf(
      TaskAccessDeniedException,
    );
  });

  it.each(['abc', `${TASK_ID}0`, '../etc/passwd', `${TASK_ID.slice(0, -1)}%00`])('refuses the id %s with a 400', async (id) => {
    await expect(guard.canActivate(contextFor(OWNER, id).context)).rejects.toBeInstanceOf(ValidationFailedException);
  });
});
