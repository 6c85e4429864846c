import { toTaskResponse } from './task.response.js';

describe('toTaskResponse', () => {
  it('maps a row to the wire shape with millisecond UTC timestamps and nothing else', () => {
    const row = {
      id: '7d0c4c1e-52f3-4a8b-9b7e-0c9f7f0d2a11',
      user_id: '1b4e28ba-2fa1-11d2-883f-0016d3cca427',
      title: 'Write report',
      description: null,
      status: 'todo' as const,
      priority: 'high' as const,
      tags: ['work'],
      due_date: '2027-01-31',
      due_time: '09:30:00',
      project_id: 'a3bb189e-8bf9-3888-9912-ace4e6543002',
      parent_id: null,
      position: '2048',
      recurrence: { rrule: 'FREQ=DAILY', from: 'due' as const, start: '2027-01-01', n: 31 },
      series_id: 'c1a8e5f2-8b7c-4d8e-9f3a-2b1c0d9e8f7a',
      next_occurrence_id: null,
      // Counts arrive as bigint strings.
      subtask_count: '3',
      subtask_done_count: '1',
      deleted_with: 'internal',
      created_at: new Date('2026-11-26T09:30:00.120Z'),
      updated_at: new Date('2026-11-26T10:00:00Z'),
      // bigint columns arrive from the driver as strings.
      version: '7',
      hashed_password: 'never on the wire',
    };
    expect(toTaskResponse(row)).toEqual({
      id: '7d0c4c1e-52f3-4a8b-9b7e-0c9f7f0d2a11',
      user_id: '1b4e28ba-2fa1-11d2-883f-0016d3cca427',
      title: 'Write report',
      description: null,
      status: 'todo',
      priority: 'high',
      tags: ['work'],
      due_date: '2027-01-31',
      due_time: '09:30',
      project_id: 'a3bb189e-8bf9-3888-9912-ace4e6543002',
      parent_id: null,
      position: 2048,
      // The series' bookkeeping (start, n) stays inside.
      recurrence: { rrule: 'FREQ=DAILY', from: 'due' },
      series_id: 'c1a8e5f2-8b7c-4d8e-9f3a-2b1c0d9e8f7a',
      next_occurrence_id: null,
      subtask_count: 3,
      subtask_done_count: 1,
      created_at: '2026-11-26T09:30:00.120Z',
      updated_at: '2026-11-26T10:00:00.000Z',
      version: 7,
    });
  });
});
