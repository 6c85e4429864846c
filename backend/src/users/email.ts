import { domainToASCII, domainToUnicode } from 'node:url';
import { foldCase } from '../common/case-fold.js';

/**
 * Characters refused anywhere in an email: nobody types them on purpose, and
 * they make two addresses look alike or one look like another. Zero-width
 * joiners and spaces, soft hyphens, BOMs and other default-ignorables are
 * invisible; bidi controls (U+202A-202E, U+2066-2069, U+200E/F, U+061C)
 * reorder what is shown, so `ad\u202Emin` displays as "adnim"; control,
 * private-use and lone surrogate code points mean nothing portable; and
 * unassigned code points have no normalization yet, so a later Unicode version
 * could change their normal form under an account that already uses them.
 */
const REFUSED_CHARACTERS = /[\p{Default_Ignorable_Code_Point}\p{Cc}\p{Cf}\p{Co}\p{Cs}\p{Cn}\p{Zl}\p{Zp}]/u;
const REFUSED_CHARACTERS_ALL = new RegExp(REFUSED_CHARACTERS.source, 'gu');

/**
 * ASCII a domain name may hold: letters, digits, dots, hyphens (underscores
 * too, for `IsEmail` to judge). The UTS #46 mapping of `node:url` is the WHATWG
 * host parser, which would also percent-decode (`exa%41mple.com` →
 * `exaample.com`): a domain with any other ASCII character is left as typed,
 * for `IsEmail` to refuse as before.
 */
// eslint-disable-next-line no-control-regex -- control characters are exactly what this class must match
const OTHER_ASCII = /[\x00-\x2c\x2f\x3a-\x40\x5b-\x5e\x60\x7b-\x7f]/;

export type EmailProblem = 'refused-character' | 'invalid-domain';

export type NormalizedEmail = { readonly ok: true; readonly email: string } | { readonly ok: false; readonly problem: EmailProblem };

/**
 * One spelling per address, so one person has one account however their
 * keyboard writes it: `josé` typed precomposed (NFC) or decomposed (NFD),
 * full-width `ｊｏｓé`, `JOSÉ` and `ΟΔΥΣΣΕΥΣ`/`οδυσσευς` all become one address.
 *
 * - Trimmed, then refused if it holds an invisible, bidi, control, private-use
 *   or unassigned character (see REFUSED_CHARACTERS).
 * - The whole address is NFKC-normalized first, so a full-width `＠` is an `@`.
 * - Local part (before the last `@`): case-folded (foldCase: full folding, so
 *   ß = ss and ς = σ), then NFKC again, since folding can undo composition.
 *   This is the NFKC_Casefold of Unicode, minus its removal of default
 *   ignorables (refused here instead). Lower-casing the local part was already
 *   the rule; no mail provider tells addresses apart by case or width.
 * - Domain: UTS #46 (`domainToASCII`, which also folds case and maps widths),
 *   stored in its Unicode form (`domainToUnicode` of that). One form is needed
 *   for the unique index; Unicode is chosen because the local part may be
 *   non-ASCII anyway (EAI), and the address is shown back to its owner, who
 *   typed `bücher.de`, not `xn--bcher-kva.de`. Both spellings normalize alike.
 *
 * Idempotent: a normalized address normalizes to itself. An address without
 * `@` is returned trimmed and NFKC-normalized, for `IsEmail` to refuse.
 */
export function normalizeEmail(input: string): NormalizedEmail {
  const trimmed = input.trim();
  if (REFUSED_CHARACTERS.test(trimmed)) return { ok: false, problem: 'refused-character' };
  // Trimmed again: NFKC spells some characters (¨, ῎) with a leading space.
  const address = trimmed.normalize('NFKC').trim();
  const at = address.lastIndexOf('@');
  if (at < 0) return { ok: true, email: address };
  const local = foldCase(address.slice(0, at)).normalize('NFKC');
  const domain = normalizeDomain(address.slice(at + 1));
  if (domain === undefined) return { ok: false, problem: 'invalid-domain' };
  return { ok: true, email: `${local}@${domain}` };
}

function normalizeDomain(domain: string): string | undefined {
  if (OTHER_ASCII.test(domain)) return domain;
  const ascii = domainToASCII(domain);
  // Empty means UTS #46 refused it: a label that is not valid punycode, a
  // disallowed character, an invalid bidi or joiner context.
  if (ascii === '' || OTHER_ASCII.test(ascii)) return undefined;
  return domainToUnicode(ascii);
}

/**
 * For stored addresses that predate the rule above (the migration): the
 * refused characters are removed instead, since the account exists and its
 * owner could not type them again anyway.
 */
export function normalizeStoredEmail(stored: string): NormalizedEmail {
  return normalizeEmail(stored.replace(REFUSED_CHARACTERS_ALL, ''));
}
