/**
 * A short name for the device a session was started on, from its User-Agent:
 * "Firefox 133 on Windows". Only for the owner to recognise their sessions;
 * never used to decide anything.
 */
export function deviceLabel(userAgent: string | undefined): string {
  if (!userAgent) return 'Unknown device';
  const browser =
    match(userAgent, /Edg(?:e|A|iOS)?\/(\d+)/, 'Edge') ??
    match(userAgent, /OPR\/(\d+)/, 'Opera') ??
    match(userAgent, /(?:Firefox|FxiOS)\/(\d+)/, 'Firefox') ??
    match(userAgent, /(?:Chrome|CriOS)\/(\d+)/, /Chromium/.test(userAgent) ? 'Chromium' : 'Chrome') ??
    match(userAgent, /Version\/(\d+)[.\d]* (?:Mobile\/\S+ )?Safari\//, 'Safari') ??
    match(userAgent, /^curl\/(\d+)/, 'curl');
  const os = /iPhone|iPad|iPod/.test(userAgent)
    ? 'iOS'
    : /Android/.test(userAgent)
      ? 'Android'
      : /Windows/.test(userAgent)
        ? 'Windows'
        : /Mac OS X|Macintosh/.test(userAgent)
          ? 'macOS'
          : /CrOS/.test(userAgent)
            ? 'ChromeOS'
            : /Linux/.test(userAgent)
              ? 'Linux'
              : undefined;
  if (browser && os) return `${browser} on ${os}`;
  if (browser) return browser;
  // Unknown clients: their own product token, cut short and stripped of anything odd.
  const first = userAgent.split(/\s+/)[0].replace(/[^\w./+-]/g, '').slice(0, 60);
  return first || 'Unknown device';
}

function match(userAgent: string, pattern: RegExp, name: string): string | undefined {
  const version = pattern.exec(userAgent)?.[1];
  return version ? `${name} ${version}` : undefined;
}
