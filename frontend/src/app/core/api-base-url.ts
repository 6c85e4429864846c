import { InjectionToken, inject, DOCUMENT } from '@angular/core';

/**
 * Absolute origin + path prefix of the API, without a trailing slash.
 *
 * Same origin by default. A deployment can point the built app at another host without
 * rebuilding by setting `<meta name="api-base-url" content="https://api.example.com">`
 * in index.html.
 */
export const API_BASE_URL = new InjectionToken<string>('API_BASE_URL', {
  providedIn: 'root',
  factory: () => {
    const doc = inject(DOCUMENT);
    const configured = doc.querySelector('meta[name="api-base-url"]')?.getAttribute('content');
    return resolveApiBaseUrl(configured ?? '', doc.baseURI);
  },
});

/** Resolves a possibly relative base URL against the page, dropping any trailing slash. */
export function resolveApiBaseUrl(configured: string, pageUrl: string): string {
  const url = new URL(configured.trim() || '/', pageUrl);
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

/** True when `requestUrl` (absolute or relative to the page) points at the API. */
export function isApiUrl(requestUrl: string, apiBaseUrl: string, pageUrl: string): boolean {
  let target: URL;
  try {
    target = new URL(requestUrl, pageUrl);
  } catch {
    return false;
  }
  const base = new URL(apiBaseUrl);
  if (target.origin !== base.origin) return false;
  const prefix = base.pathname.replace(/\/+$/, '');
  return prefix === '' || target.pathname === prefix || target.pathname.startsWith(`${prefix}/`);
}
