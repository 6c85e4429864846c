/** A delivery is retried for this long after its event, then given up. */
export const DELIVERY_WINDOW_MS = 24 * 60 * 60 * 1000;
/** A webhook whose deliveries have failed for this long without a success is disabled. */
export const DISABLE_AFTER_FAILING_MS = DELIVERY_WINDOW_MS;
/** No wait between two attempts is longer than this. */
export const MAX_RETRY_DELAY_MS = 4 * 60 * 60 * 1000;

/**
 * When to try again after failed attempt number `attempt` (1-based):
 * base, 2 × base, 4 × base… (WEBHOOK_RETRY_BASE_SECONDS: 30 s, 1 min, 2 min,
 * … 4 h at most), plus up to 10 % more at random so that deliveries which
 * failed together do not all come back at the same instant; never after the
 * end of the delivery window. Undefined when that window is over.
 */
export function nextAttemptAt(
  attempt: number,
  baseSeconds: number,
  createdAt: Date,
  now: Date,
  random = Math.random(),
): Date | undefined {
  const deadline = createdAt.getTime() + DELIVERY_WINDOW_MS;
  if (now.getTime() >= deadline) return undefined;
  const delay = Math.min(baseSeconds * 1000 * 2 ** Math.min(attempt - 1, 30), MAX_RETRY_DELAY_MS) * (1 + 0.1 * random);
  return new Date(Math.min(now.getTime() + delay, deadline));
}
