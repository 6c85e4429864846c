import { type TaskEventRow, toTaskEventData } from './event-data.js';

describe('toTaskEventData', () => {
  const taskJson = {
    id: '0b7d6f0e-7c1a-4d0e-9c59-3a2f1f6f2a10',
    user_id: '5f0c8a4e-2b1d-4c3e-8f9a-1b2c3d4e5f60',
    title: 'Write the report',
    description: null,
    status: 'in-progress',
    priority: 'high',
    tags: ['work'],
    due_date: '2027-01-31',
    // to_jsonb writes timestamps in the writing session's time zone.
    created_at: '2026-11-26T10:30:00.123+01:00',
    updated_at: '2026-11-26T09:45:00.5+00:00',
    version: 4,
    // A column the wire does not know must not leak through an event.
    internal_note: 'secret',
  };
  const row = (overrides: Partial<TaskEventRow> = {}): TaskEventRow => ({
    id: '42',
    task_id: taskJson.id,
    type: 'task.updated',
    version: '4',
    task: taskJson,
    occurred_at: new Date('2026-11-26T09:45:00.499Z'),
    ...overrides,
  });

  it('maps a change to the contract shape, the task as every other response has it', () => {
    const data = toTaskEventData(row());
    expect(data).toEqual({
      id: '42',
      type: 'task.updated',
      task_id: taskJson.id,
      version: 4,
      task: {
        id: taskJson.id,
        user_id: taskJson.user_id,
        title: 'Write the report',
        description: null,
        status: 'in-progress',
        priority: 'high',
        tags: ['work'],
        due_date: '2027-01-31',
        created_at: '2026-11-26T09:30:00.123Z',
        updated_at: '2026-11-26T09:45:00.500Z',
        version: 4,
      },
      occurred_at: '2026-11-26T09:45:00.499Z',
    });
    expect(Object.keys(data)).toEqual(['id', 'type', 'task_id', 'version', 'task', 'occurred_at']);
  });

  it('leaves `task` out of a deletion', () => {
    const data = toTaskEventData(row({ type: 'task.deleted', version: '5', task: null }));
    expect(data).toEqual({ id: '42', type: 'task.deleted', task_id: taskJson.id, version: 5, occurred_at: '2026-11-26T09:45:00.499Z' });
    expect('task' in data).toBe(false);
  });
});
