import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * The refresh token travels only in this cookie: HttpOnly (no script reads
 * it), SameSite=Strict (no other site's page makes the browser send it) and
 * scoped to /auth (sent only to refresh and log out, never with API calls).
 */
export const REFRESH_COOKIE = 'eot_refresh';
const PATH = '/auth';
const TOKEN = /^[\w-]{43}$/;

/**
 * Secure everywhere except plain http to this machine outside production
 * (`npm start` on http://localhost), where a browser may refuse to store a
 * Secure cookie.
 */
export function cookieIsSecure(request: FastifyRequest, nodeEnv: string): boolean {
  if (nodeEnv === 'production' || request.protocol === 'https') return true;
  return !/^(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/.test(request.headers.host ?? '');
}

export function setRefreshCookie(reply: FastifyReply, token: string, maxAgeSeconds: number, secure: boolean): void {
  reply.header('Set-Cookie', cookie(token, maxAgeSeconds, secure));
}

export function clearRefreshCookie(reply: FastifyReply, secure: boolean): void {
  reply.header('Set-Cookie', cookie('', 0, secure));
}

function cookie(value: string, maxAgeSeconds: number, secure: boolean): string {
  return [`${REFRESH_COOKIE}=${value}`, `Path=${PATH}`, `Max-Age=${maxAgeSeconds}`, 'HttpOnly', 'SameSite=Strict', ...(secure ? ['Secure'] : [])].join(
    '; ',
  );
}

/** The refresh token of the request's Cookie header, if it holds a well-formed one. */
export function readRefreshCookie(request: FastifyRequest): string | undefined {
  const header = request.headers.cookie;
  if (typeof header !== 'string') return undefined;
  for (const part of header.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    const value = rest.join('=');
    if (name === REFRESH_COOKIE && TOKEN.test(value)) return value;
  }
  return undefined;
}
