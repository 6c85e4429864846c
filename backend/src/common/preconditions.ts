import { ValidationFailedException } from './api-errors.js';

/**
 * HTTP conditional requests (RFC 9110 §13) on a task, whose entity tag is its
 * version in quotes: `ETag: "3"`.
 */
export function etagOf(version: number): string {
  return `"${version}"`;
}

/**
 * What `If-Match` allows: any current version (`*`), or only the listed ones.
 * Strong comparison: a weak tag (`W/"3"`) never matches. A bare number (`3`,
 * the `version` field as is) is accepted as that version, for integrations
 * that copy it from the JSON; anything else matches nothing (a 412).
 */
export type ExpectedVersions = { readonly any: true } | { readonly any: false; readonly versions: readonly number[] };

export function parseIfMatch(header: string | undefined): ExpectedVersions | undefined {
  if (header === undefined) return undefined;
  if (header.trim() === '*') return { any: true };
  const versions = entityTags(header)
    .filter((tag) => !tag.weak)
    .map((tag) => tag.version)
    .filter((v): v is number => v !== undefined);
  return { any: false, versions };
}

/**
 * The versions `If-None-Match` names (`*`: any). Weak comparison: `W/"3"` and
 * `"3"` both name version 3.
 */
export function parseIfNoneMatch(header: string | undefined): ExpectedVersions | undefined {
  if (header === undefined) return undefined;
  if (header.trim() === '*') return { any: true };
  const versions = entityTags(header)
    .map((tag) => tag.version)
    .filter((v): v is number => v !== undefined);
  return { any: false, versions };
}

/** Whether a read passes `If-None-Match` (else 304). */
export function noneMatch(header: string | undefined, version: number): boolean {
  const named = parseIfNoneMatch(header);
  if (named === undefined) return true;
  return !named.any && !named.versions.includes(version);
}

/**
 * What a write requires of the task (RFC 9110 §13.1.1-2): If-Match, a version
 * it must be at; If-None-Match, versions it must not be at (`*`: it must not
 * exist, which a task being changed or deleted always does). Either failing is
 * a 412 for PATCH and DELETE.
 */
export interface WritePreconditions {
  readonly ifMatch?: ExpectedVersions;
  readonly ifNoneMatch?: ExpectedVersions;
}

const MAX_VERSION = Number.MAX_SAFE_INTEGER;

function entityTags(header: string): { weak: boolean; version?: number }[] {
  return header
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const match = /^(W\/)?"([^"]*)"$|^(\d+)$/.exec(part);
      if (!match) return { weak: false };
      const text = match[2] ?? match[3];
      const version = /^[1-9]\d{0,15}$/.test(text) ? Number(text) : undefined;
      return { weak: match[1] !== undefined, version: version !== undefined && version <= MAX_VERSION ? version : undefined };
    });
}

/** Printable ASCII, 1 to 255 characters (HTTP has already trimmed the ends). */
export const IDEMPOTENCY_KEY = /^[\x20-\x7e]{1,255}$/;

/** The optional `Idempotency-Key` header of a create, checked. */
export function checkIdempotencyKey(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!IDEMPOTENCY_KEY.test(value)) {
    throw new ValidationFailedException([
      { field: 'Idempotency-Key', message: 'Idempotency-Key must be 1 to 255 printable ASCII characters' },
    ]);
  }
  return value;
}
