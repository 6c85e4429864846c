import { ApiProperty } from '@nestjs/swagger';
import type { DeliveryRow, WebhookRow } from '../webhooks.repository.js';

export class WebhookResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'https://hooks.example.com/evolution-of-todo' })
  url!: string;

  @ApiProperty({ type: String, nullable: true })
  description!: string | null;

  @ApiProperty({ type: [String], example: ['task.*'] })
  events!: string[];

  @ApiProperty({ description: 'false: paused by you, or disabled by the server after 24 hours of failed deliveries' })
  enabled!: boolean;

  @ApiProperty({
    type: String,
    nullable: true,
    example: 'Disabled on 2027-01-02T10:00:00.000Z: deliveries failed for 24 hours (last: status 500)',
    description: 'Why the server disabled it; null otherwise',
  })
  disabled_reason!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Deliveries have failed since then (null: the last one succeeded)' })
  failing_since!: string | null;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;

  @ApiProperty({ format: 'date-time' })
  updated_at!: string;
}

export class CreatedWebhookResponse extends WebhookResponse {
  @ApiProperty({
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    description: 'The signing secret, shown this once: verify each delivery\'s `webhook-signature` with it (Standard Webhooks)',
  })
  secret!: string;
}

export class DeliveryResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'msg_2b3c4d5e6f708192a3b4c5d6e7f80912', description: 'The `webhook-id` header: the same on every attempt and redelivery' })
  message_id!: string;

  @ApiProperty({ example: 'task.updated', description: 'The event type, or webhook.test' })
  event!: string;

  @ApiProperty({ type: String, nullable: true, example: '42', description: 'The event id (your event sequence number); null for a test' })
  event_id!: string | null;

  @ApiProperty({ enum: ['pending', 'succeeded', 'failed'] })
  status!: 'pending' | 'succeeded' | 'failed';

  @ApiProperty({ type: 'integer', minimum: 0, example: 1 })
  attempts!: number;

  @ApiProperty({ type: 'integer', nullable: true, example: 200, description: 'HTTP status of the last attempt; null when it got no answer' })
  status_code!: number | null;

  @ApiProperty({ type: 'integer', nullable: true, example: 84, description: 'Milliseconds the last attempt took' })
  duration_ms!: number | null;

  @ApiProperty({ type: String, nullable: true, example: 'status 503', description: 'Why the last attempt failed' })
  error!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'The first kilobyte of the last response body' })
  response!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the next attempt is due (pending only)' })
  next_retry_at!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  last_attempt_at!: string | null;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;
}

export function toWebhookResponse(row: WebhookRow): WebhookResponse {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    events: row.events,
    enabled: row.enabled,
    disabled_reason: row.disabled_reason,
    failing_since: row.failing_since?.toISOString() ?? null,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

export function toDeliveryResponse(row: DeliveryRow): DeliveryResponse {
  return {
    id: row.id,
    message_id: row.message_id,
    event: row.event_type,
    event_id: row.event_seq,
    status: row.status,
    attempts: row.attempts,
    status_code: row.last_status_code,
    duration_ms: row.last_duration_ms,
    error: row.last_error,
    response: row.last_response,
    next_retry_at: row.status === 'pending' ? (row.next_attempt_at?.toISOString() ?? null) : null,
    last_attempt_at: row.last_attempt_at?.toISOString() ?? null,
    created_at: row.created_at.toISOString(),
  };
}
