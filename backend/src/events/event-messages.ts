import {
  type ExpiredEventData,
  type HeartbeatEventData,
  type ReadyEventData,
  type ResetEventData,
  type RevokedEventData,
  type EventRow,
  toChangeEventData,
} from './dto/event-data.js';

/**
 * The largest task event, encoded: a task with every field at its limit, each
 * character a control character that JSON escapes as six bytes (\u0001).
 * The unit test builds it and keeps this bound true.
 */
export const MAX_TASK_EVENT_BYTES = 72 * 1024;

/** What an EventSource waits before it reconnects, sent with the first event of every stream. */
export const RECONNECT_DELAY_MS = 3000;

/**
 * One Server-Sent Event, encoded once. The same message goes to every stream
 * of its user, so the bytes are shared, not copied per stream.
 */
export interface SseMessage {
  /** The event id; for a task event, the user's own sequence number. */
  readonly id: bigint;
  readonly bytes: Buffer;
  /** The event type (`task.created`, `project.updated`…): who may see it depends on it. */
  readonly type: string;
}

/*
 * Every message carries an id. A browser sends the last id it saw back as
 * Last-Event-ID, so a message without one would leave the previous id in
 * place; ready, heartbeat, reset and expired repeat the stream's cursor: the
 * id of the last event sent, which the client has already, so resuming from
 * it is still right.
 */

function encode(type: string, id: bigint, data: object, retryMs?: number): SseMessage {
  // JSON.stringify escapes CR and LF, so the data is one line of the stream.
  const retry = retryMs === undefined ? '' : `retry: ${retryMs}\n`;
  return { id, type, bytes: Buffer.from(`event: ${type}\nid: ${id}\n${retry}data: ${JSON.stringify(data)}\n\n`, 'utf8') };
}

export function readyMessage(cursor: bigint): SseMessage {
  const data: ReadyEventData = { last_event_id: cursor.toString() };
  return encode('ready', cursor, data, RECONNECT_DELAY_MS);
}

export function resetMessage(cursor: bigint, reason: string): SseMessage {
  const data: ResetEventData = { reason };
  return encode('reset', cursor, data);
}

export function heartbeatMessage(cursor: bigint, at: Date): SseMessage {
  const data: HeartbeatEventData = { at: at.toISOString() };
  return encode('heartbeat', cursor, data);
}

export function expiredMessage(cursor: bigint): SseMessage {
  const data: ExpiredEventData = {
    reason: 'The token that opened this stream has expired: open a new one with a fresh token or ticket, resuming after this id',
  };
  return encode('expired', cursor, data);
}

/** A change of a task, project or view. */
export function changeMessage(row: EventRow): SseMessage {
  const data = toChangeEventData(row);
  return encode(data.type, BigInt(data.id), data);
}

export function revokedMessage(cursor: bigint): SseMessage {
  const data: RevokedEventData = {
    reason: 'The session or token that opened this stream has ended (log out, revocation, password change or account deletion)',
  };
  return encode('revoked', cursor, data);
}
