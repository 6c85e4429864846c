import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { checkWebhookUrl, RefusedTargetError, resolveWebhookTarget, type WebhookTargetRules } from './ssrf.js';

/** A receiver has this long to answer, connection included. */
export const DELIVERY_TIMEOUT_MS = 10_000;
/** Bytes of a response body kept (for the deliveries list); the rest is not read. */
export const RESPONSE_BYTES_KEPT = 1024;

export interface DeliveryOutcome {
  readonly ok: boolean;
  readonly statusCode: number | null;
  readonly durationMs: number;
  /** Why it failed, in words; null on success. */
  readonly error: string | null;
  /** The first RESPONSE_BYTES_KEPT bytes of the response body, as text. */
  readonly response: string | null;
  /** True when no connection was attempted (the target was refused). */
  readonly refused: boolean;
}

/**
 * POSTs one signed delivery. The target is checked (ssrf.ts) before any
 * connection, and the connection goes to the address that was checked. A
 * redirect is not followed and counts as a failure, like any status outside
 * 2xx, a timeout or a connection error.
 */
export async function sendDelivery(
  rawUrl: string,
  headers: Record<string, string>,
  body: string,
  rules: WebhookTargetRules,
): Promise<DeliveryOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  let target: { address: string; family: 4 | 6 };
  let url: URL;
  try {
    url = checkWebhookUrl(rawUrl, rules);
    target = await resolveWebhookTarget(url, rules);
  } catch (error) {
    const message = error instanceof RefusedTargetError ? error.message : 'invalid URL';
    return { ok: false, statusCode: null, durationMs: elapsed(), error: message, response: null, refused: true };
  }
  // Node asks this instead of the resolver: the address already checked, nothing else.
  const pinned: LookupFunction = (_hostname, options, callback) => {
    if ((options as { all?: boolean }).all) (callback as (e: null, a: { address: string; family: number }[]) => void)(null, [target]);
    else callback(null, target.address, target.family);
  };
  return new Promise<DeliveryOutcome>((resolve) => {
    let settled = false;
    const finish = (outcome: Omit<DeliveryOutcome, 'durationMs' | 'refused'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      resolve({ ...outcome, durationMs: elapsed(), refused: false });
    };
    const client = url.protocol === 'https:' ? https : http;
    const request = client.request(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
        lookup: pinned,
        agent: false,
      },
      (response) => {
        const status = response.statusCode ?? 0;
        const chunks: Buffer[] = [];
        let kept = 0;
        const done = () => {
          const text = Buffer.concat(chunks).subarray(0, RESPONSE_BYTES_KEPT).toString('utf8');
          const ok = status >= 200 && status < 300;
          const error = ok ? null : status >= 300 && status < 400 ? `redirect (${status}) not followed` : `status ${status}`;
          finish({ ok, statusCode: status, error, response: text || null });
        };
        response.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          kept += chunk.length;
          if (kept >= RESPONSE_BYTES_KEPT) done();
        });
        response.on('end', done);
        response.on('error', done);
      },
    );
    const timer = setTimeout(
      () => finish({ ok: false, statusCode: null, error: `no answer within ${DELIVERY_TIMEOUT_MS / 1000} s`, response: null }),
      DELIVERY_TIMEOUT_MS,
    );
    request.on('error', (error: NodeJS.ErrnoException) =>
      finish({ ok: false, statusCode: null, error: `connection failed: ${error.code ?? error.message}`, response: null }),
    );
    request.end(body);
  });
}
