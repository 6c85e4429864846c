/**
 * A random UUID v4 for the Idempotency-Key header. `crypto.randomUUID` exists only in secure
 * contexts (HTTPS or localhost); an app served over plain HTTP on a LAN still gets a key.
 */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The key for one create form. Sending the same body again after a failure reuses the key:
 * when every automatic retry failed, the task may still have been created, and pressing the
 * button again must not make a second one. A different body, or a create that succeeded,
 * starts a new key.
 */
export class IdempotencyKeys {
  private last: { body: string; key: string } | null = null;

  keyFor(body: unknown): string {
    const text = JSON.stringify(body);
    if (this.last?.body !== text) this.last = { body: text, key: newIdempotencyKey() };
    return this.last.key;
  }

  succeeded(): void {
    this.last = null;
  }
}
