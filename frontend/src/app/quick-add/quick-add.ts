import type { CreateTaskInput } from '../core/api-models';
import {
  formatTime,
  isDayFirst,
  relativeDateLabel,
  splitDate,
  zonedNow,
  type IsoDate,
  type IsoTime,
} from './calendar';
import { findDatePhrases, type DateContext, type DatePhrase } from './date-phrases';
import { describeRule, firstOccurrenceOnOrAfter, type Recurrence } from './recurrence';
import { findRecurrence } from './recurrence-grammar';
import { formatRRule } from './rrule';
import {
  CHIP_MASK,
  findPriority,
  findProject,
  findQuotes,
  findTags,
  LITERAL_MASK,
  maskSpans,
  type Priority,
  type ProjectRef,
  type TextSpan,
} from './tokens';

// Quick add: one line of plain words in, a task to create out, with every recognised piece
// shown as a removable chip. Pure functions with no Angular, so that the UI can import this
// from a lazy chunk and the grammar can be tested on its own. The grammar, with examples, is
// in docs/quick-add.md.
//
// The order of reading matters and is fixed: quoted text and dismissed chips (literal), then
// +project, #tags and !priority, then recurrence words, then dates and times. What one step
// claims is masked for the next, so "#friday" is a tag and never a date, and "every monday"
// is a rule and never a due date of Monday. When a kind appears twice, the first wins and the
// later words stay in the title ("Call Anna tomorrow about friday" is due tomorrow; its title
// keeps "about friday").

export type { Priority, ProjectRef, TextSpan } from './tokens';
export { suggestProjects, type ProjectSuggestions } from './tokens';
export type { IsoDate, IsoTime } from './calendar';
export type { Recurrence, RecurrenceFrom } from './recurrence';

/** What the parser needs to know about the user. */
export interface QuickAddOptions {
  /** The user's IANA time zone (`time_zone` of GET /auth/me): "today" is today there. */
  readonly timeZone: string;
  /**
   * The user's locale (`navigator.language`). It decides only how numeric dates read
   * (5/12 is May 12 in en-US, 5 December in en-GB and de) and how chips show times
   * (5pm or 17:00); the words are English.
   */
  readonly locale: string;
  /** The user's projects, for `+Project`. */
  readonly projects?: readonly ProjectRef[];
  /** The current instant; tests pin it. Default: now. */
  readonly now?: Date;
}

/** What the user has done to the chips of this text. */
export interface QuickAddState {
  /**
   * Spans the user dismissed (a chip's `start`/`end`): their text stays in the title as
   * typed and is not read again. Offsets are into the current text: when the user edits,
   * carry them over with {@link rebaseIgnored}.
   */
  readonly ignored?: readonly TextSpan[];
}

export type ProjectChoice = ProjectRef | { readonly unresolved: string };

interface ChipBase extends TextSpan {
  /** The exact source text, `text.slice(start, end)`. */
  readonly text: string;
  /** What the chip shows: "Tomorrow 5pm", "Every Monday and Thursday", "#home", "High", "Work". */
  readonly label: string;
}

/** A recognised piece of the text. `kind` tells what `value` holds. */
export type QuickAddChip =
  | (ChipBase & {
      readonly kind: 'date';
      readonly value: { readonly date: IsoDate; readonly time?: IsoTime };
    })
  | (ChipBase & { readonly kind: 'time'; readonly value: { readonly time: IsoTime } })
  | (ChipBase & {
      readonly kind: 'recurrence';
      readonly value: Recurrence & { readonly time?: IsoTime; readonly startDate?: IsoDate };
    })
  | (ChipBase & { readonly kind: 'tag'; readonly value: string })
  | (ChipBase & { readonly kind: 'priority'; readonly value: Priority })
  | (ChipBase & { readonly kind: 'project'; readonly value: ProjectChoice });

export type ChipKind = QuickAddChip['kind'];

/** What the text means. Field names follow the create body (see {@link toCreateBody}). */
export interface QuickAddResult {
  /** The words left once the chips are taken out (quote marks dropped), spaces collapsed. */
  readonly title: string;
  readonly due_date?: IsoDate;
  readonly due_time?: IsoTime;
  readonly recurrence?: Recurrence;
  /** As typed, without '#', duplicates (ignoring case) dropped. */
  readonly tags: readonly string[];
  readonly priority?: Priority;
  /** A known project, or `{unresolved}` for a `+name` the user has no project for. */
  readonly project?: ProjectChoice;
  /** In text order. */
  readonly chips: readonly QuickAddChip[];
}

/**
 * Reads a quick-add line.
 *
 * Due dates: the first date phrase is the due date ("tomorrow 5pm", "fri", "next monday",
 * "in 3 days", "dec 5", "5/12", "tonight"). A date that has passed this year means next year,
 * a weekday means the coming one (today's weekday is today), a time alone means today, or
 * tomorrow once it has passed. A recurrence ("every monday at 9am") without a date is due on
 * its first date from today; with one ("every monday starting dec 7", or a separate date) on
 * its first date from that day.
 *
 * @param text what the user typed
 * @param options the user's zone, locale and projects
 * @param state the chips the user dismissed
 */
export function parseQuickAdd(
  text: string,
  options: QuickAddOptions,
  state: QuickAddState = {},
): QuickAddResult {
  const clock = zonedNow(options.now ?? new Date(), options.timeZone);
  const [year, month, day] = splitDate(clock.date);
  const context: DateContext = {
    today: clock.date,
    reference: new Date(year, month - 1, day, clock.hour, clock.minute),
    dayFirst: isDayFirst(options.locale),
  };
  const locale = options.locale;

  const quotes = findQuotes(text);
  const ignored = (state.ignored ?? [])
    .map(({ start, end }) => ({ start: Math.max(0, start), end: Math.min(text.length, end) }))
    .filter((s) => s.end > s.start);
  let masked = maskSpans(text, [...quotes, ...ignored], LITERAL_MASK);
  const chips: QuickAddChip[] = [];
  const chip = (c: QuickAddChip) => {
    chips.push(c);
    masked = maskSpans(masked, [c], CHIP_MASK);
  };
  const source = (span: TextSpan) => ({
    start: span.start,
    end: span.end,
    text: text.slice(span.start, span.end),
  });

  const projectToken = findProject(masked, options.projects ?? []);
  if (projectToken) {
    const project = projectToken.project;
    chip({
      ...source(projectToken),
      kind: 'project',
      label: 'unresolved' in project ? project.unresolved : project.name,
      value: project,
    });
  }
  const tags: string[] = [];
  for (const token of findTags(masked)) {
    chip({ ...source(token), kind: 'tag', label: `#${token.tag}`, value: token.tag });
    if (!token.duplicate) tags.push(token.tag);
  }
  const priorityToken = findPriority(masked);
  if (priorityToken) {
    const { priority } = priorityToken;
    chip({
      ...source(priorityToken),
      kind: 'priority',
      label: priority[0].toUpperCase() + priority.slice(1),
      value: priority,
    });
  }

  const recurrence = findRecurrence(masked, context);
  if (recurrence) masked = maskSpans(masked, [recurrence], CHIP_MASK);

  // Dates: the first phrase that names a day, unless the recurrence names its own start.
  const phrases = findDatePhrases(masked, context);
  const datePhrase =
    recurrence?.startDate === undefined ? phrases.find((p) => p.date !== undefined) : undefined;
  // Time: the first one given, whether with the date, in the recurrence or alone.
  const timeSources: Array<{ start: number; time: IsoTime; phrase?: DatePhrase }> = [];
  if (datePhrase?.time) timeSources.push({ start: datePhrase.start, time: datePhrase.time });
  if (recurrence?.time) timeSources.push({ start: recurrence.start, time: recurrence.time });
  const timeAlone = phrases.find((p) => p.date === undefined && p.time !== undefined);
  if (timeAlone?.time)
    timeSources.push({ start: timeAlone.start, time: timeAlone.time, phrase: timeAlone });
  const timeSource = timeSources.sort((a, b) => a.start - b.start)[0];
  const dueTime = timeSource?.time;

  let dueDate: IsoDate | undefined;
  let rule: Recurrence | undefined;
  if (recurrence) {
    const rrule = formatRRule(recurrence.rule);
    rule = { rrule, from: recurrence.from };
    const base = recurrence.startDate ?? datePhrase?.date ?? context.today;
    // A rule with nothing left from this day on keeps the day; the server explains the rule.
    dueDate = firstOccurrenceOnOrAfter(recurrence.rule, base) ?? base;
    const starting = recurrence.startDate
      ? `, starting ${relativeDateLabel(recurrence.startDate, context.today, locale).replace(/^(Today|Tomorrow)$/, (w) => w.toLowerCase())}`
      : '';
    chips.push({
      ...source(recurrence),
      kind: 'recurrence',
      label:
        describeRule(rrule, locale, { time: recurrence.time, from: recurrence.from }) + starting,
      value: { ...rule, time: recurrence.time, startDate: recurrence.startDate },
    });
  } else if (datePhrase) {
    dueDate = datePhrase.date;
  } else if (timeSource?.phrase) {
    dueDate = timeSource.phrase.impliedDate;
  }
  if (datePhrase?.date) {
    const label =
      relativeDateLabel(datePhrase.date, context.today, locale) +
      (datePhrase.time ? ` ${formatTime(datePhrase.time, locale)}` : '');
    chips.push({
      ...source(datePhrase),
      kind: 'date',
      label,
      value: { date: datePhrase.date, time: datePhrase.time },
    });
  }
  if (timeSource?.phrase) {
    const time = timeSource.time;
    // A time with no date chip and no rule tells when it falls: "Tomorrow 9am" at 10 o'clock.
    const day =
      !datePhrase && !recurrence
        ? `${relativeDateLabel(timeSource.phrase.impliedDate, context.today, locale)} `
        : '';
    chips.push({
      ...source(timeSource.phrase),
      kind: 'time',
      label: day + formatTime(time, locale),
      value: { time },
    });
  }

  chips.sort((a, b) => a.start - b.start);
  const priority = priorityToken?.priority;
  const project = projectToken?.project;
  return {
    title: titleOf(text, chips, quotes),
    ...(dueDate !== undefined && { due_date: dueDate }),
    ...(dueTime !== undefined && dueDate !== undefined && { due_time: dueTime }),
    ...(rule !== undefined && { recurrence: rule }),
    tags,
    ...(priority !== undefined && { priority }),
    ...(project !== undefined && { project }),
    chips,
  };
}

/** The text without the chips and the marks of closed quotes, spaces collapsed. */
function titleOf(
  text: string,
  chips: readonly TextSpan[],
  quotes: ReturnType<typeof findQuotes>,
): string {
  const drop = new Uint8Array(text.length);
  for (const { start, end } of chips) drop.fill(1, start, end);
  for (const quote of quotes) {
    if (!quote.closed) continue;
    drop[quote.start] = 1;
    drop[quote.end - 1] = 1;
  }
  let title = '';
  for (let i = 0; i < text.length; i++) title += drop[i] ? ' ' : text[i];
  return (
    title
      .replace(/\s+/g, ' ')
      // Punctuation a chip leaves behind: "Buy milk #home." reads "Buy milk.", and "Call Bo -
      // tomorrow" reads "Call Bo".
      .replace(/ ([,;:.!?])(?=\s|$)/g, '$1')
      .replace(/[,;:]+([.!?])/g, '$1')
      .replace(/^[\s,;:\-–—]+|[\s,;:\-–—]+$/g, '')
  );
}

/**
 * The create body for a result: title, and only the fields the text gave. An unresolved
 * project is left out: the UI creates it (or drops the chip) and sets `project_id` itself.
 * The title is not checked here; the form validates it like any other title.
 */
export function toCreateBody(result: QuickAddResult): CreateTaskInput {
  const project = result.project && !('unresolved' in result.project) ? result.project : undefined;
  return {
    title: result.title,
    ...(result.tags.length > 0 && { tags: [...result.tags] }),
    ...(result.priority !== undefined && { priority: result.priority }),
    ...(result.due_date !== undefined && { due_date: result.due_date }),
    ...(result.due_time !== undefined && { due_time: result.due_time }),
    ...(project !== undefined && { project_id: project.id }),
    ...(result.recurrence !== undefined && {
      recurrence: { rrule: result.recurrence.rrule, from: result.recurrence.from },
    }),
  };
}

/**
 * Carries dismissed spans over an edit, so a dismissed chip stays dismissed while the user
 * keeps typing: spans before the edit keep their offsets, spans after it move with it, and a
 * span the edit touches is dropped (the user changed those words, so they are read afresh).
 * The edit is found by comparing the texts, which covers typing, deleting, pasting and
 * undo at one place; an edit that is not one contiguous change drops what lies between.
 *
 * @param spans dismissed spans, offsets into `before`
 * @param before the text they were taken from
 * @param after the text now
 */
export function rebaseIgnored(
  spans: readonly TextSpan[],
  before: string,
  after: string,
): TextSpan[] {
  if (before === after) return [...spans];
  let prefix = 0;
  const max = Math.min(before.length, after.length);
  while (prefix < max && before[prefix] === after[prefix]) prefix++;
  let suffix = 0;
  while (
    suffix < max - prefix &&
    before[before.length - 1 - suffix] === after[after.length - 1 - suffix]
  )
    suffix++;
  const editStart = prefix;
  const editEnd = before.length - suffix; // in `before`
  const shift = after.length - before.length;
  const inserted = editEnd === editStart ? after.slice(editStart, editStart + shift) : '';
  const out: TextSpan[] = [];
  for (const span of spans) {
    if (span.end <= editStart) {
      if (!(span.end === editStart && startsWithWordChar(inserted))) out.push(span);
    } else if (span.start >= editEnd) {
      if (!(span.start === editEnd && endsWithWordChar(inserted)))
        out.push({ start: span.start + shift, end: span.end + shift });
    }
  }
  return out;
}

// Typing letters right against a dismissed span ("fri" + "day") makes a new word of it: the
// span is dropped so that the new word is read. A space or punctuation does not.
function startsWithWordChar(text: string): boolean {
  return /^[\p{L}\p{N}]/u.test(text);
}

function endsWithWordChar(text: string): boolean {
  return /[\p{L}\p{N}]$/u.test(text);
}
