import { toTaskEventData } from '../events/dto/event-data.js';
import type { TaskEventType } from '../events/task-event.entity.js';
import type { DeliveryRow } from './webhooks.repository.js';

/**
 * The body of a delivery, in the Standard Webhooks shape:
 * `{"type", "timestamp", "data"}`. For a change, `data` is exactly what the
 * event stream sends for it (TaskEventData: the event id, which is the
 * user's own sequence number and orders events, type, ids, version, the
 * entity after the change). Built from the delivery's copy of the event, so
 * every attempt sends the same bytes.
 */
export function webhookBody(delivery: Pick<DeliveryRow, 'event_type' | 'event_seq' | 'entity_id' | 'version' | 'payload' | 'occurred_at'>): string {
  const timestamp = delivery.occurred_at.toISOString();
  if (delivery.event_type.startsWith('task.')) {
    const data = toTaskEventData({
      id: delivery.event_seq ?? '0',
      task_id: delivery.entity_id ?? '',
      type: delivery.event_type as TaskEventType,
      version: delivery.version ?? '0',
      task: delivery.payload,
      occurred_at: delivery.occurred_at,
    });
    return JSON.stringify({ type: delivery.event_type, timestamp, data });
  }
  // A test delivery carries its own data; event types added later bring their mapping here.
  return JSON.stringify({ type: delivery.event_type, timestamp, data: delivery.payload ?? {} });
}
