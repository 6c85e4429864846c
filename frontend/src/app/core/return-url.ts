/**
 * Accepts only a path inside this app, so a crafted `?returnUrl=https://evil.example`
 * cannot send someone elsewhere after they log in.
 */
export function safeReturnUrl(raw: string | null | undefined, fallback = '/dashboard'): string {
  if (!raw || !raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) {
    return fallback;
  }
  if (raw.startsWith('/login') || raw.startsWith('/signup')) return fallback;
  return raw;
}
