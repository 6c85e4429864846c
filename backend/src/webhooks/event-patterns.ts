import { EVENT_TYPES } from '../events/outbox-event.entity.js';

/** The event types a webhook can subscribe to: every type the event stream carries (tasks, projects, saved views). */
export const WEBHOOK_EVENT_TYPES = EVENT_TYPES;

/** Sent by `POST /api/webhooks/{id}/test` only; no pattern subscribes to it. */
export const TEST_EVENT_TYPE = 'webhook.test';

const FAMILIES = [...new Set(WEBHOOK_EVENT_TYPES.map((type) => type.split('.')[0]))];

/** `task.created`, a family wildcard `task.*`, or `*` (everything). */
export function isEventPattern(pattern: string): boolean {
  if (pattern === '*') return true;
  if ((WEBHOOK_EVENT_TYPES as readonly string[]).includes(pattern)) return true;
  return pattern.endsWith('.*') && FAMILIES.includes(pattern.slice(0, -2));
}

/**
 * The same rule as the SQL function `webhook_event_matches`, which decides in
 * the database; this one serves the unit tests and the scope check.
 */
export function eventMatches(patterns: readonly string[], type: string): boolean {
  return patterns.some((p) => p === '*' || p === type || (p.endsWith('.*') && type.startsWith(p.slice(0, -1))));
}

/** The resource families (`task`, `project`…) a list of patterns can receive. */
export function familiesOf(patterns: readonly string[]): string[] {
  return FAMILIES.filter((family) => WEBHOOK_EVENT_TYPES.some((type) => type.startsWith(`${family}.`) && eventMatches(patterns, type)));
}
