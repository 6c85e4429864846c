// The sigil tokens of quick add: "quoted text", #tags, !priority and +Project. They are found
// before any date or recurrence words, and their text is masked so that the later grammars
// never read a date inside a tag ("#dec5") or a project name ("+Friday drinks").

/** A project the user can file a task under. */
export interface ProjectRef {
  readonly id: string;
  readonly name: string;
}

export type Priority = 'low' | 'medium' | 'high';

/** A half-open range of offsets into the typed text: `text.slice(start, end)`. */
export interface TextSpan {
  readonly start: number;
  readonly end: number;
}

/** Stands in for text already claimed by a chip: not whitespace, not a letter, so no word can run through it. */
export const CHIP_MASK = '\u001e';
/** Stands in for text that must stay literal (quotes, dismissed chips). */
export const LITERAL_MASK = '\u001f';

/** `text` with each span replaced, character for character, by `mask`: offsets stay valid. */
export function maskSpans(text: string, spans: readonly TextSpan[], mask: string): string {
  let out = text;
  for (const { start, end } of spans) {
    if (end <= start) continue;
    out = out.slice(0, start) + mask.repeat(end - start) + out.slice(end);
  }
  return out;
}

// A character that can be part of a word: a token must not start or end inside one.
const WORD_CHAR = /[\p{L}\p{M}\p{N}_]/u;

function startsToken(text: string, i: number): boolean {
  return i === 0 || /\s/.test(text[i - 1]) || text[i - 1] === '(';
}

// ---------------------------------------------------------------------------------------------
// Quotes

/** A quoted stretch: `start`/`end` include the quote marks, which a closed pair drops from the title. */
export interface QuoteSpan extends TextSpan {
  readonly closed: boolean;
}

const CLOSERS: Record<string, readonly string[]> = { '"': ['"'], '“': ['”'], '„': ['“', '”'] };

/**
 * Quoted text ("…", “…”, „…“) stays literal. An opening mark counts only at the start of a
 * word, so the inch mark in `12" pipe` opens nothing; a closing mark must end a word. An
 * opening mark without its closing one protects the rest of the text: while the user is
 * still typing `Buy "Dec 5`, the words after the mark are not read as a date.
 */
export function findQuotes(text: string): QuoteSpan[] {
  const spans: QuoteSpan[] = [];
  let i = 0;
  while (i < text.length) {
    const closers = CLOSERS[text[i]];
    if (closers === undefined || !startsToken(text, i)) {
      i++;
      continue;
    }
    let close = -1;
    for (let j = i + 1; j < text.length; j++) {
      if (closers.includes(text[j]) && !WORD_CHAR.test(text[j + 1] ?? ' ')) {
        close = j;
        break;
      }
    }
    if (close < 0) {
      spans.push({ start: i, end: text.length, closed: false });
      break;
    }
    spans.push({ start: i, end: close + 1, closed: true });
    i = close + 1;
  }
  return spans;
}

// ---------------------------------------------------------------------------------------------
// Tags, priority, project

export interface TagToken extends TextSpan {
  /** As typed, without the `#`. */
  readonly tag: string;
  /** True when an earlier tag is the same but for letter case: a chip, but not a second tag. */
  readonly duplicate: boolean;
}

/** The server's limits (CreateTaskDto): at most 20 tags, each 1–50 characters. */
const MAX_TAGS = 20;
const MAX_TAG_LENGTH = 50;

const TAG = /#([\p{L}\p{M}\p{N}_-]+)/uy;

/**
 * `#tag` at the start of a word: letters (any script), digits, `-` and `_`, up to the first
 * other character (`#home,` is the tag `home`). All digits is not a tag: "Fix #123" names an
 * issue. A tag longer than the server's 50 characters, or past the 20th, stays in the title.
 * Tags equal but for letter case are one tag, the first spelling kept, as the server does.
 */
export function findTags(masked: string): TagToken[] {
  const out: TagToken[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < masked.length; i++) {
    if (masked[i] !== '#' || !startsToken(masked, i)) continue;
    TAG.lastIndex = i;
    const match = TAG.exec(masked);
    if (!match) continue;
    const tag = match[1];
    if (/^\p{N}+$/u.test(tag) || [...tag].length > MAX_TAG_LENGTH) continue;
    const key = tag.normalize('NFC').toLowerCase();
    const duplicate = seen.has(key);
    if (!duplicate && seen.size >= MAX_TAGS) continue;
    seen.add(key);
    out.push({ start: i, end: i + match[0].length, tag, duplicate });
  }
  return out;
}

export interface PriorityToken extends TextSpan {
  readonly priority: Priority;
}

const PRIORITY = /!(high|medium|med|low|1|2|3)(?![\p{L}\p{M}\p{N}_-])/iuy;
const PRIORITY_OF: Record<string, Priority> = {
  high: 'high',
  medium: 'medium',
  med: 'medium',
  low: 'low',
  1: 'high',
  2: 'medium',
  3: 'low',
};

/**
 * The first `!high` / `!medium` (`!med`) / `!low`, or Todoist's `!1` / `!2` / `!3` (1 is the
 * most urgent: high, medium, low). Later ones stay in the title, as every later duplicate
 * does. `!4` (Todoist's "no priority") is not a token: no priority is the default.
 */
export function findPriority(masked: string): PriorityToken | undefined {
  for (let i = 0; i < masked.length; i++) {
    if (masked[i] !== '!' || !startsToken(masked, i)) continue;
    PRIORITY.lastIndex = i;
    const match = PRIORITY.exec(masked);
    if (match)
      return { start: i, end: i + match[0].length, priority: PRIORITY_OF[match[1].toLowerCase()] };
  }
  return undefined;
}

export interface ProjectToken extends TextSpan {
  readonly project: ProjectRef | { readonly unresolved: string };
}

const NEW_PROJECT = /\+([\p{L}\p{M}\p{N}_-]+)/uy;

/**
 * The first `+Project`: the longest name among `projects` that follows the `+`, compared
 * ignoring case, so `+Home renovation` beats `+Home` and names may hold spaces. A `+word`
 * that names no project is returned as `{unresolved: 'word'}` (one word: where a new name
 * ends is a guess), for the UI to offer creating it. A `+` followed by digits is a phone
 * number or "+1", not a project.
 */
export function findProject(
  masked: string,
  projects: readonly ProjectRef[],
): ProjectToken | undefined {
  for (let i = 0; i < masked.length; i++) {
    if (masked[i] !== '+' || !startsToken(masked, i)) continue;
    const known = longestProjectAt(masked, i + 1, projects);
    if (known) return { start: i, end: i + 1 + known.name.length, project: known };
    NEW_PROJECT.lastIndex = i;
    const match = NEW_PROJECT.exec(masked);
    if (match && !/^\p{N}+$/u.test(match[1])) {
      return { start: i, end: i + match[0].length, project: { unresolved: match[1] } };
    }
  }
  return undefined;
}

function longestProjectAt(
  masked: string,
  at: number,
  projects: readonly ProjectRef[],
): ProjectRef | undefined {
  let best: ProjectRef | undefined;
  for (const project of projects) {
    const name = project.name;
    if (name.length === 0 || (best && best.name.length >= name.length)) continue;
    const candidate = masked.slice(at, at + name.length);
    if (candidate.length !== name.length || !sameText(candidate, name)) continue;
    if (WORD_CHAR.test(masked[at + name.length] ?? ' ')) continue; // "+Homework" is not "+Home"
    best = project;
  }
  return best;
}

function sameText(a: string, b: string): boolean {
  return a.localeCompare(b, undefined, { sensitivity: 'accent' }) === 0;
}

/** What {@link suggestProjects} offers for a `+name` being typed. */
export interface ProjectSuggestions extends TextSpan {
  /** What follows the `+` up to the caret. */
  readonly query: string;
  /** Best first: names starting with the query, then names with a word starting with it. */
  readonly projects: readonly ProjectRef[];
}

/**
 * Autocomplete for a `+Pro` being typed: when the caret is inside a `+name` token, the
 * projects whose name starts with what was typed (then those with a later word starting with
 * it), at most `limit`. The span covers `+` to the caret: the UI replaces it with
 * `+Full Name `. Null when the caret is not in such a token or nothing matches once the
 * typed text holds a space (the user has gone on to other words).
 */
export function suggestProjects(
  text: string,
  caret: number,
  projects: readonly ProjectRef[],
  limit = 5,
): ProjectSuggestions | null {
  const before = text.slice(0, caret);
  const plus = before.lastIndexOf('+');
  if (plus < 0 || !startsToken(text, plus) || /[\n#!]/.test(before.slice(plus))) return null;
  const query = before.slice(plus + 1);
  const folded = query.toLocaleLowerCase();
  const score = (name: string): number => {
    const lower = name.toLocaleLowerCase();
    if (lower.startsWith(folded)) return 0;
    if (lower.split(/\s+/).some((word, index) => index > 0 && word.startsWith(folded))) return 1;
    return -1;
  };
  const matches = projects
    .map((project) => ({ project, rank: score(project.name) }))
    .filter((m) => m.rank >= 0)
    .sort((a, b) => a.rank - b.rank || a.project.name.localeCompare(b.project.name))
    .slice(0, limit)
    .map((m) => m.project);
  if (matches.length === 0 && /\s/.test(query)) return null;
  return { start: plus, end: caret, query, projects: matches };
}
