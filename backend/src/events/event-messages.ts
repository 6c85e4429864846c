import type { MessageEvent } from '@nestjs/common';
import {
  type HeartbeatEventData,
  type ReadyEventData,
  type ResetEventData,
  type TaskEventRow,
  toTaskEventData,
} from './dto/event-data.js';

/** What an EventSource waits before it reconnects, sent with the first event of every stream. */
export const RECONNECT_DELAY_MS = 3000;

/*
 * Every message carries an id. Nest numbers a message without one itself
 * (1, 2, ...), and a browser would send that number back as Last-Event-ID.
 * A heartbeat therefore repeats the stream's cursor: the id of the last event
 * sent, which the client has already, so resuming from it is still right.
 */

export function readyMessage(cursor: bigint): MessageEvent {
  const data: ReadyEventData = { last_event_id: cursor.toString() };
  return { type: 'ready', id: cursor.toString(), retry: RECONNECT_DELAY_MS, data };
}

export function resetMessage(cursor: bigint, reason: string): MessageEvent {
  const data: ResetEventData = { reason };
  return { type: 'reset', id: cursor.toString(), data };
}

export function heartbeatMessage(cursor: bigint, at: Date): MessageEvent {
  const data: HeartbeatEventData = { at: at.toISOString() };
  return { type: 'heartbeat', id: cursor.toString(), data };
}

/** Serialized once here: the same event goes to every stream of its user. */
export function taskEventMessage(row: TaskEventRow): MessageEvent {
  const data = toTaskEventData(row);
  return { type: data.type, id: data.id, data: JSON.stringify(data) };
}
