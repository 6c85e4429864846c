import { en, type ParsedResult } from 'chrono-node';
import {
  addDays,
  dayNumberOf,
  isoDate,
  isoTime,
  isRealDate,
  splitDate,
  weekdayOf,
  type IsoDate,
  type IsoTime,
} from './calendar';
import { CHIP_MASK, LITERAL_MASK, type TextSpan } from './tokens';

// Dates and times in the typed text. chrono-node reads the words ("tomorrow 5pm", "next
// monday", "in 3 days", "dec 5"); numeric dates (5/12, 5.12.) are read here, because their
// order depends on the user's locale and chrono's own day-first variant (chrono.en.GB) also
// reads "jan 31" as January 2031. The words are English for every locale, like the app.
//
// chrono works on JavaScript Dates in the runtime's time zone, which is not necessarily the
// user's. So it is given a reference Date whose local fields are the user's wall clock
// (built with new Date(y, m, d, h, min)), and only the calendar fields of its results are
// read back (year, month, day, hour, minute), never an instant. "Today" is then the user's
// today even when the browser's date is already tomorrow.

/** What the date grammar needs to know about "now". */
export interface DateContext {
  /** Today in the user's time zone. */
  readonly today: IsoDate;
  /** A Date whose local fields are the user's wall clock now (see above). */
  readonly reference: Date;
  /** The user's locale writes the day first (5/12 is 5 December). */
  readonly dayFirst: boolean;
}

/** A date or time phrase found in the text. */
export interface DatePhrase extends TextSpan {
  /** The day it names; absent for a time alone ("at 17:30"). */
  readonly date?: IsoDate;
  /** The time of day it names, if any. */
  readonly time?: IsoTime;
  /** For a time alone: the day it falls on (today, or tomorrow once the time has passed). */
  readonly impliedDate: IsoDate;
}

/**
 * Date and time phrases in `masked` (claimed text already masked), in order, not
 * overlapping. Guards against reading ordinary words as dates are in {@link accept}.
 */
export function findDatePhrases(masked: string, context: DateContext): DatePhrase[] {
  const numeric = findNumericDates(masked, context);
  // chrono must not see what the numeric reader decided (5/12) or refused (3/4 of a cake).
  const forChrono = [...numeric, ...articleUnits(masked)].reduce(
    (text, n) => text.slice(0, n.start) + LITERAL_MASK.repeat(n.end - n.start) + text.slice(n.end),
    masked,
  );
  const phrases: DatePhrase[] = numeric.flatMap((n) => (n.phrase ? [n.phrase] : []));
  for (const result of en.casual.parse(forChrono, context.reference, { forwardDate: true })) {
    const phrase = accept(forChrono, result, context);
    if (phrase) phrases.push(phrase);
  }
  phrases.sort((a, b) => a.start - b.start);
  return phrases.filter((p, i) => i === 0 || p.start >= phrases[i - 1].end);
}

/**
 * A date phrase starting exactly at `pos` (after spaces), for "until …" and "starting …"
 * inside a recurrence. Only a phrase that names a day counts.
 */
export function dateAt(
  masked: string,
  pos: number,
  context: DateContext,
): (DatePhrase & { date: IsoDate }) | undefined {
  const at = pos + (/^\s*/.exec(masked.slice(pos))?.[0].length ?? 0);
  const numeric = findNumericDates(masked.slice(at), context)[0];
  if (numeric?.start === 0) {
    return numeric.phrase?.date
      ? { ...numeric.phrase, start: at, end: at + numeric.end, date: numeric.phrase.date }
      : undefined;
  }
  const slice = masked.slice(at);
  const result = en.casual.parse(slice, context.reference, { forwardDate: true })[0];
  if (!result || result.index !== 0) return undefined;
  const phrase = accept(slice, result, context, { contextFree: true });
  if (!phrase?.date || phrase.start !== 0) return undefined;
  return { ...phrase, start: at, end: at + phrase.end, date: phrase.date };
}

// A word a time can be read from: 5pm, 5:30 pm, 17:30, 9 a.m., noon, midnight, o'clock, and
// "in 2 hours". A bare number is not a time: "at 5" could be 5am, 5pm or "apples at 5 each".
const TIME_MARKER =
  /\d[:.h]\d\d|\d\s*[ap]\.?m\b|\bnoon\b|\bmidnight\b|o['’]?clock|\b(?:hours?|hrs?|minutes?|mins?)\b/i;
const BARE_HOUR_AFTER = /^(.*?\S)\s*,?\s*(?:at\s+|@\s*)?\d{1,2}$/i;
const BARE_HOUR_BEFORE = /^(?:at\s+|@\s*)?\d{1,2}\s+(?=\S)/i;

// Parts of the day as times a task is due. chrono's own are 06:00 for "morning" and 22:00 for
// "tonight", fine for an event finder but too early and too late for a to-do.
const PART_OF_DAY: ReadonlyArray<[RegExp, IsoTime]> = [
  [/\bmorning\b/i, '09:00'],
  [/\bafternoon\b/i, '15:00'],
  [/\bevening\b/i, '19:00'],
  [/\b(?:tonight|night)\b/i, '20:00'],
];

// Weekday abbreviations that are also everyday words ("sun cream", "sat down", "wed ring"):
// a date only after a word that asks for one, or with a time ("sat 5pm").
const WORDLIKE_WEEKDAYS = /^(?:sun|sat|wed)$/i;
const DATE_LEAD_WORDS = /(?:^|\s)(?:by|due|before|until|till|on|next|this)\s+$/i;

// chrono reads "the week" and "a day" as one week or day from now, so "Plan the week" would be
// due next Sunday. They count only after "in" / "within" ("in a week") or before "after",
// "from now", "later" ("the day after tomorrow"); elsewhere they are hidden from chrono.
const ARTICLE_UNIT =
  /(?<![\p{L}\p{N}])(?:the|a|an)\s+(?:minute|hour|day|week|month|year)s?(?![\p{L}\p{N}])/giu;
const ARTICLE_UNIT_LEAD = /(?:^|\s)(?:in|within)\s+$/i;
const ARTICLE_UNIT_TAIL = /^\s+(?:after|before|from\s+now|later|ago)\b/i;

function articleUnits(masked: string): TextSpan[] {
  const out: TextSpan[] = [];
  for (const match of masked.matchAll(ARTICLE_UNIT)) {
    const start = match.index;
    const end = start + match[0].length;
    if (ARTICLE_UNIT_LEAD.test(masked.slice(0, start)) || ARTICLE_UNIT_TAIL.test(masked.slice(end)))
      continue;
    out.push({ start, end });
  }
  return out;
}

// Words before a date that mean nothing once the date is a chip: "meeting on friday",
// "call mom in the morning".
const CONNECTIVE_BEFORE = /(?:^|\s)((?:on|at|by|due|before|in\s+the)\s+)$/i;

// A duration is not a due date: "Wait 5 minutes", "ETA 2 hours". "In 5 minutes" is.
const BARE_DURATION =
  /^(?:\d+|an?|one|two|three|few|several|couple(?:\s+of)?)\s*(?:minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)$/i;

/** Turns a chrono result into a phrase, or refuses it (see the guards in line). */
function accept(
  text: string,
  result: ParsedResult,
  context: DateContext,
  options: { contextFree?: boolean } = {},
): DatePhrase | undefined {
  let start = result.index;
  let words = result.text.trimEnd(); // chrono may keep a trailing space ("dec 9 ")
  let end = start + words.length;
  const c = result.start;

  // Inside a word ("c'mon", "o'sun") or right after a masked chip: not a date.
  const before = text[start - 1] ?? ' ';
  if (/[\p{L}\p{N}'’_]/u.test(before) || before === CHIP_MASK || before === LITERAL_MASK)
    return undefined;
  if (/^now$/i.test(words)) return undefined; // "Do it now" is not due at this minute
  if (BARE_DURATION.test(words)) return undefined;

  if (
    WORDLIKE_WEEKDAYS.test(words) &&
    !options.contextFree &&
    !DATE_LEAD_WORDS.test(text.slice(0, start))
  )
    return undefined;

  const relative = /\b(?:next|last|this|in|ago|from now|later)\b/i.test(words);
  const namesDay =
    c.isCertain('day') ||
    c.isCertain('weekday') ||
    (relative && (c.isCertain('month') || c.isCertain('year')));

  // The time of day, if the words really give one.
  let time: IsoTime | undefined;
  if (c.isCertain('hour')) {
    if (TIME_MARKER.test(words)) {
      time = isoTime(c.get('hour') ?? 0, c.get('minute') ?? 0);
    } else {
      // A bare number: keep the date it came with ("fri at 5" is Friday) and leave the number.
      if (!namesDay) return undefined;
      const after = BARE_HOUR_AFTER.exec(words);
      const lead = BARE_HOUR_BEFORE.exec(words);
      if (after) {
        words = after[1];
        end = start + words.length;
      } else if (lead) {
        start += lead[0].length;
        words = words.slice(lead[0].length);
      }
    }
  }
  if (time === undefined) time = PART_OF_DAY.find(([word]) => word.test(words))?.[1];

  let date: IsoDate | undefined;
  if (namesDay) {
    const year = c.get('year') ?? 0;
    const month = c.get('month') ?? 0;
    const day = c.get('day') ?? 0;
    if (!isRealDate(year, month, day)) return undefined;
    date = isoDate(year, month, day);
    // "next week" is the Monday that starts it (Todoist's reading), not seven days on.
    if (/^next\s+week$/i.test(words)) date = addDays(context.today, 7 - weekdayOf(context.today));
  } else if (time === undefined) {
    return undefined; // a month or year alone: "Call May", "March with the team"
  }

  const connective = CONNECTIVE_BEFORE.exec(text.slice(0, start));
  if (connective) start -= connective[1].length;

  const impliedYear = c.get('year') ?? 0;
  const implied = isRealDate(impliedYear, c.get('month') ?? 0, c.get('day') ?? 0)
    ? isoDate(impliedYear, c.get('month') ?? 0, c.get('day') ?? 0)
    : context.today;
  return { start, end, date, time, impliedDate: date ?? implied };
}

// ---------------------------------------------------------------------------------------------
// Numeric dates

interface NumericMatch extends TextSpan {
  /** Absent when the numbers are not a date here; the span is still kept from chrono. */
  readonly phrase?: DatePhrase;
}

// "3/4 of the budget", "1/2 cup": a fraction before "of" or a unit of measure.
const FRACTION_AFTER =
  /^\s*(?:of|cups?|tsp|tbsp|teaspoons?|tablespoons?|lbs?|pounds?|oz|ounces?|kg|ml|liters?|litres?|inch(?:es)?|ft|feet|miles?|km|hours?|hrs?)\b/i;

// d/m, d/m/yy, d/m/yyyy (or m/d), and d.m. / d.m.yyyy. A dotted pair needs its final dot or a
// year: "5.12" is a version or a price. Not inside a longer run of digits, slashes or dots.
const NUMERIC_DATE =
  /(?<![\p{L}\p{N}_/.:-])(\d{1,2})([/.])(\d{1,2})(?:\2(\d{4}|\d{2}))?(?![\p{L}\p{N}_/:])/gu;

/** Numeric dates in the locale's order. "3/4 of" is a fraction, not a date. */
function findNumericDates(masked: string, context: DateContext): NumericMatch[] {
  const out: NumericMatch[] = [];
  for (const match of masked.matchAll(NUMERIC_DATE)) {
    const [whole, a, separator, b, yearText] = match;
    const start = match.index;
    let end = start + whole.length;
    if (separator === '.') {
      if (masked[end] === '.' && yearText === undefined) end++;
      else if (yearText === undefined) continue;
      if (/\d/.test(masked[end] ?? '')) continue;
    }
    if (FRACTION_AFTER.test(masked.slice(end))) {
      out.push({ start, end });
      continue;
    }
    const date = numericDate(Number(a), Number(b), yearText, context);
    out.push({ start, end, phrase: date ? { start, end, date, impliedDate: date } : undefined });
  }
  return out;
}

/**
 * The date of two numbers in the locale's order (the other order when that one is impossible:
 * 13/5 is 13 May anywhere). Without a year, the first such date from today on.
 */
function numericDate(
  a: number,
  b: number,
  yearText: string | undefined,
  context: DateContext,
): IsoDate | undefined {
  const orders: Array<[number, number]> = context.dayFirst
    ? [
        [b, a],
        [a, b],
      ]
    : [
        [a, b],
        [b, a],
      ];
  const [thisYear] = splitDate(context.today);
  for (const [month, day] of orders) {
    if (yearText !== undefined) {
      const year = yearText.length === 2 ? 2000 + Number(yearText) : Number(yearText);
      if (isRealDate(year, month, day)) return isoDate(year, month, day);
      continue;
    }
    // Up to 8 years on, so that 29/2 finds the next leap year.
    for (let year = thisYear; year <= thisYear + 8; year++) {
      if (
        isRealDate(year, month, day) &&
        dayNumberOf(isoDate(year, month, day)) >= dayNumberOf(context.today)
      ) {
        return isoDate(year, month, day);
      }
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Times inside a recurrence phrase ("every day at 9am")

const TIME_AT =
  /\s*(?:(?:at\s+|@\s*))?(?:(\d{1,2})(?:[:.](\d{2}))?\s*([ap])\.?m\.?|(\d{1,2})[:h](\d{2})|(noon|midnight))(?![\p{L}\p{N}_])/iuy;

/** A time of day at `pos` (after spaces): 9am, 5:30 pm, 17:30, at noon. */
export function timeAt(masked: string, pos: number): (TextSpan & { time: IsoTime }) | undefined {
  TIME_AT.lastIndex = pos;
  const m = TIME_AT.exec(masked);
  if (!m) return undefined;
  const start = pos + (/^\s*/.exec(m[0])?.[0].length ?? 0);
  const end = pos + m[0].length;
  if (m[6] !== undefined)
    return { start, end, time: m[6].toLowerCase() === 'noon' ? '12:00' : '00:00' };
  if (m[3] !== undefined) {
    const hour = Number(m[1]);
    const minute = Number(m[2] ?? 0);
    if (hour < 1 || hour > 12 || minute > 59) return undefined;
    const h24 = (hour % 12) + (m[3].toLowerCase() === 'p' ? 12 : 0);
    return { start, end, time: isoTime(h24, minute) };
  }
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  if (hour > 23 || minute > 59) return undefined;
  return { start, end, time: isoTime(hour, minute) };
}
