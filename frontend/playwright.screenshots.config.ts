import base from './playwright.config';

/** The README's screenshots (e2e/docs-screenshots.shot.ts), against the same servers as the tests. */
export default { ...base, testMatch: 'docs-screenshots.shot.ts', retries: 0 };
