import { type EventRow, toChangeEventData } from './event-data.js';

describe('toChangeEventData', () => {
  // What the triggers store: to_jsonb of the row, with its counts.
  const taskJson = {
    id: '0b7d6f0e-7c1a-4d0e-9c59-3a2f1f6f2a10',
    user_id: '5f0c8a4e-2b1d-4c3e-8f9a-1b2c3d4e5f60',
    project_id: 'a3bb189e-8bf9-3888-9912-ace4e6543002',
    parent_id: null,
    position: 1024,
    title: 'Write the report',
    description: null,
    status: 'in-progress',
    priority: 'high',
    tags: ['work'],
    due_date: '2027-01-31',
    due_time: '09:00:00',
    recurrence: { rrule: 'FREQ=WEEKLY', from: 'due', start: '2027-01-03', n: 5 },
    series_id: 'c1a8e5f2-8b7c-4d8e-9f3a-2b1c0d9e8f7a',
    next_occurrence_id: null,
    // to_jsonb writes timestamps in the writing session's time zone.
    created_at: '2026-11-26T10:30:00.123+01:00',
    updated_at: '2026-11-26T09:45:00.5+00:00',
    version: 4,
    subtask_count: 2,
    subtask_done_count: 1,
    // Columns the wire does not know must not leak through an event.
    deleted_at: null,
    deleted_with: null,
    internal_note: 'secret',
  };
  const row = (overrides: Partial<EventRow> = {}): EventRow => ({
    id: '42',
    entity_id: taskJson.id,
    type: 'task.updated',
    version: '4',
    payload: taskJson,
    occurred_at: new Date('2026-11-26T09:45:00.499Z'),
    ...overrides,
  });

  it('maps a task change to the contract shape, the task as every other response has it', () => {
    const data = toChangeEventData(row());
    expect(data).toEqual({
      id: '42',
      type: 'task.updated',
      task_id: taskJson.id,
      version: 4,
      task: {
        id: taskJson.id,
        user_id: taskJson.user_id,
        project_id: taskJson.project_id,
        parent_id: null,
        position: 1024,
        title: 'Write the report',
        description: null,
        status: 'in-progress',
        priority: 'high',
        tags: ['work'],
        due_date: '2027-01-31',
        due_time: '09:00',
        recurrence: { rrule: 'FREQ=WEEKLY', from: 'due' },
        series_id: taskJson.series_id,
        next_occurrence_id: null,
        subtask_count: 2,
        subtask_done_count: 1,
        created_at: '2026-11-26T09:30:00.123Z',
        updated_at: '2026-11-26T09:45:00.500Z',
        version: 4,
      },
      occurred_at: '2026-11-26T09:45:00.499Z',
    });
    expect(Object.keys(data)).toEqual(['id', 'type', 'task_id', 'version', 'task', 'occurred_at']);
  });

  it('leaves `task` out of a deletion', () => {
    const data = toChangeEventData(row({ type: 'task.deleted', version: '5', payload: null }));
    expect(data).toEqual({ id: '42', type: 'task.deleted', task_id: taskJson.id, version: 5, occurred_at: '2026-11-26T09:45:00.499Z' });
    expect('task' in data).toBe(false);
  });

  it('maps project and view changes the same way', () => {
    const project = {
      id: 'a3bb189e-8bf9-3888-9912-ace4e6543002',
      user_id: taskJson.user_id,
      name: 'Home',
      name_key: 'home',
      color: '#3b82f6',
      parent_id: null,
      position: 2048,
      is_inbox: false,
      open_task_count: 3,
      created_at: '2026-11-26T09:00:00+00:00',
      updated_at: '2026-11-26T09:00:00+00:00',
      version: 2,
    };
    expect(toChangeEventData(row({ type: 'project.updated', entity_id: project.id, version: '2', payload: project }))).toEqual({
      id: '42',
      type: 'project.updated',
      project_id: project.id,
      version: 2,
      project: {
        id: project.id,
        name: 'Home',
        color: '#3b82f6',
        parent_id: null,
        position: 2048,
        is_inbox: false,
        open_task_count: 3,
        created_at: '2026-11-26T09:00:00.000Z',
        updated_at: '2026-11-26T09:00:00.000Z',
        version: 2,
      },
      occurred_at: '2026-11-26T09:45:00.499Z',
    });
    const view = {
      id: 'd2c1b0a9-8f7e-4d6c-9b5a-4e3d2c1b0a98',
      user_id: taskJson.user_id,
      name: 'Urgent',
      name_key: 'urgent',
      query: { priority: ['high'] },
      position: 1024,
      created_at: '2026-11-26T09:00:00+00:00',
      updated_at: '2026-11-26T09:00:00+00:00',
      version: 1,
    };
    expect(toChangeEventData(row({ type: 'view.created', entity_id: view.id, version: '1', payload: view }))).toMatchObject({
      type: 'view.created',
      view_id: view.id,
      view: { id: view.id, name: 'Urgent', query: { priority: ['high'] }, position: 1024, version: 1 },
    });
    expect(toChangeEventData(row({ type: 'view.deleted', entity_id: view.id, version: '2', payload: null }))).toEqual({
      id: '42',
      type: 'view.deleted',
      view_id: view.id,
      version: 2,
      occurred_at: '2026-11-26T09:45:00.499Z',
    });
  });
});
