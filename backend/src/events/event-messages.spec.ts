import { SSE_STREAM_WORST_CASE_BYTES } from '../config/app-config.js';
import { MAX_TAGS } from '../tasks/dto/create-task.dto.js';
import { changeMessage, heartbeatMessage, MAX_TASK_EVENT_BYTES, readyMessage } from './event-messages.js';
import { STREAM_BUFFER_BYTES } from './sse-connection.js';

/** What one idle stream's socket, HTTP and bookkeeping objects were measured to cost (docs/reliability.md). */
const MEASURED_STREAM_OVERHEAD_BYTES = 14 * 1024;

describe('event messages', () => {
  it('are one event each: event, id, data on one line, and a blank line', () => {
    const text = readyMessage(7n).bytes.toString();
    expect(text).toBe('event: ready\nid: 7\nretry: 3000\ndata: {"last_event_id":"7"}\n\n');
    expect(heartbeatMessage(7n, new Date('2026-11-29T10:00:00.000Z')).bytes.toString()).toBe(
      'event: heartbeat\nid: 7\ndata: {"at":"2026-11-29T10:00:00.000Z"}\n\n',
    );
  });

  it('keep line breaks in task text inside the one data line', () => {
    const message = changeMessage(largestTaskEvent('line\nbreak\r\nand\rmore'));
    const lines = message.bytes.toString().split('\n');
    expect(lines.filter((line: string) => line.startsWith('data: '))).toHaveLength(1);
    expect(message.bytes.toString().endsWith('\n\n')).toBe(true);
  });

  it('never exceed MAX_TASK_EVENT_BYTES, the largest task the API accepts, every character escaped', () => {
    // A control character is escaped as \u0001: six bytes of JSON for one character, the most there is.
    const message = changeMessage(largestTaskEvent('\u0001'));
    expect(message.bytes.length).toBeGreaterThan(60_000);
    expect(message.bytes.length).toBeLessThanOrEqual(MAX_TASK_EVENT_BYTES);
    // Four-byte characters are not worse.
    expect(changeMessage(largestTaskEvent('😀')).bytes.length).toBeLessThan(message.bytes.length);
  });

  it('fit the memory budget per stream that SSE_MAX_STREAMS is derived from', () => {
    // A stream holds at most max(its buffer bound, one message) that its client has not read.
    expect(Math.max(STREAM_BUFFER_BYTES, MAX_TASK_EVENT_BYTES) + MEASURED_STREAM_OVERHEAD_BYTES).toBeLessThanOrEqual(
      SSE_STREAM_WORST_CASE_BYTES,
    );
  });
});

/** The event of a task with every field at its longest, filled with `character`. */
function largestTaskEvent(character: string) {
  const fill = (length: number) => character.repeat(Math.ceil(length / [...character].length)).slice(0, length * character.length);
  return {
    id: '9223372036854775807',
    entity_id: '0b7d6f0e-7c1a-4d0e-9c59-3a2f1f6f2a10',
    type: 'task.updated' as const,
    version: '9007199254740991',
    payload: {
      id: '0b7d6f0e-7c1a-4d0e-9c59-3a2f1f6f2a10',
      user_id: '5f0c8a4e-2b1d-4c3e-8f9a-1b2c3d4e5f60',
      project_id: 'a3bb189e-8bf9-3888-9912-ace4e6543002',
      parent_id: '7d0c4c1e-52f3-4a8b-9b7e-0c9f7f0d2a11',
      position: -1125899906842624.5,
      title: fill(255),
      description: fill(10_000),
      status: 'in-progress',
      priority: 'medium',
      tags: Array.from({ length: MAX_TAGS }, () => fill(50)),
      due_date: '2027-01-31',
      due_time: '23:59:00',
      recurrence: { rrule: `FREQ=MONTHLY;BYDAY=${'-1FR,'.repeat(99)}-1FR`, from: 'completion', start: '2027-01-31', n: 10000 },
      series_id: 'c1a8e5f2-8b7c-4d8e-9f3a-2b1c0d9e8f7a',
      next_occurrence_id: 'd2c1b0a9-8f7e-4d6c-9b5a-4e3d2c1b0a98',
      subtask_count: 9999999,
      subtask_done_count: 9999999,
      created_at: '2026-11-26T10:30:00.123+01:00',
      updated_at: '2026-11-26T09:45:00.5+00:00',
      version: 9007199254740991,
    },
    occurred_at: new Date('2026-11-26T09:45:00.499Z'),
  };
}
