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
      created_at: '2026-11-26T09:30:00.120Z',
      updated_at: '2026-11-26T10:00:00.000Z',
      version: 7,
    });
  });
});
