import { toChangeEventData } from '../events/dto/event-data.js';
import { EVENT_TYPES, type EventType } from '../events/outbox-event.entity.js';
import type { DeliveryRow } from './webhooks.repository.js';

const CHANGE_TYPES: ReadonlySet<string> = new Set(EVENT_TYPES);

/**
 * The body of a delivery, in the Standard Webhooks shape:
 * `{"type", "timestamp", "data"}`. For a change of a task, project or view,
 * `data` is exactly what the event stream sends for it (TaskEventData,
 * ProjectEventData, ViewEventData: the event id, which is the user's own
 * sequence number and orders events, type, the entity's id, version, the
 * entity after the change). Built from the delivery's copy of the event, so
 * every attempt sends the same bytes.
 */
export function webhookBody(delivery: Pick<DeliveryRow, 'event_type' | 'event_seq' | 'entity_id' | 'version' | 'payload' | 'occurred_at'>): string {
  const timestamp = delivery.occurred_at.toISOString();
  if (CHANGE_TYPES.has(delivery.event_type)) {
    const data = toChangeEventData({
      id: delivery.event_seq ?? '0',
      entity_id: delivery.entity_id ?? '',
      type: delivery.event_type as EventType,
      version: delivery.version ?? '0',
      payload: delivery.payload,
      occurred_at: delivery.occurred_at,
    });
    return JSON.stringify({ type: delivery.event_type, timestamp, data });
  }
  // A test delivery (webhook.test) carries its own data.
  return JSON.stringify({ type: delivery.event_type, timestamp, data: delivery.payload ?? {} });
}
