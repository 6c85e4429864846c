import { Router } from '@angular/router';

/**
 * Accepts only a path inside this app, so a crafted `?returnUrl=https://evil.example`
 * cannot send someone elsewhere after they log in.
 */
export function safeReturnUrl(raw: string | null | undefined, fallback = '/today'): string {
  if (!raw || !raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) {
    return fallback;
  }
  if (raw.startsWith('/login') || raw.startsWith('/signup')) return fallback;
  return raw;
}

/**
 * Where the user is, or is about to be: while a navigation is under way (the first one
 * included, as the app starts) `router.url` still shows the page being left, and a session
 * that ends just then must come back to the page that was asked for.
 */
export function urlInView(router: Router): string {
  const navigation = router.currentNavigation();
  return navigation
    ? router.serializeUrl(navigation.finalUrl ?? navigation.extractedUrl)
    : router.url;
}
