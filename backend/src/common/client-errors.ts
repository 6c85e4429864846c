import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';

/** One year, includeSubDomains: the same policy `app.useSecurityHeaders()` sends. */
export const HSTS_MAX_AGE_SECONDS = 31_536_000;

/**
 * The security headers of a response written straight to the socket, where
 * no request object (and so no Nest or Fastify hook) exists.
 */
const RAW_SECURITY_HEADERS = [
  `Strict-Transport-Security: max-age=${HSTS_MAX_AGE_SECONDS}; includeSubDomains`,
  'X-Content-Type-Options: nosniff',
  'X-Frame-Options: SAMEORIGIN',
  "Content-Security-Policy: default-src 'self';frame-ancestors 'self';object-src 'none'",
  'Referrer-Policy: no-referrer',
  'Cross-Origin-Opener-Policy: same-origin',
  'Cross-Origin-Resource-Policy: same-origin',
  'Cache-Control: no-store',
];

/**
 * Node's HTTP parser refuses some requests before Fastify sees them: a
 * method HTTP/1.1 does not know, headers or a URL over 16 kB, a malformed
 * request line, a request that took too long. They too get the contract's
 * error shape and the security headers, then the connection is closed.
 */
export function clientErrorHandler(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, message] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request headers or URL too large']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request timed out']
        : [400, 'Malformed HTTP request'];
  const body = JSON.stringify({ error: { code: status, message } });
  if (socket.writable) {
    socket.write(
      [
        `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
        'Content-Type: application/json; charset=utf-8',
        `Content-Length: ${Buffer.byteLength(body)}`,
        'Connection: close',
        ...RAW_SECURITY_HEADERS,
        '',
        body,
      ].join('\r\n'),
    );
  }
  socket.destroy();
}
