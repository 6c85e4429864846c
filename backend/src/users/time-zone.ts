/**
 * The canonical IANA name of a time zone (`europe/berlin` → `Europe/Berlin`,
 * `EST5EDT` → `America/New_York`), or undefined when ICU does not know it.
 * Offsets such as `+01:00` are not zones: a zone has daylight-saving rules,
 * which is what "every day at 09:00 local time" needs.
 */
export function canonicalTimeZone(name: string): string | undefined {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){0,2}$/.test(name) || name.length > 64) return undefined;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}
