import { daysInMonth, type IsoDate, type IsoTime } from './calendar';
import { dateAt, timeAt, type DateContext } from './date-phrases';
import type { RecurrenceFrom } from './recurrence';
import { makeRule, type ByDay, type Rule } from './rrule';
import { CHIP_MASK, LITERAL_MASK, type TextSpan } from './tokens';

// The recurrence words of quick add, read into the server's RRULE subset. chrono-node has no
// notion of repetition, so this is a small hand-written grammar:
//
//   phrase    := ("every" | "every!") body suffix? modifier* | adverb suffix? modifier*
//   body      := "day" | "week" | "month" | "year" | "weekday" | "weekend" | "fortnight"
//              | (N | "other") unit | "other" weekdays | weekdays
//              | ordinal weekday ["of the month"] | "last day" ["of the month"]
//              | day-ordinals ["of the month"] | month day | day ["of"] month
//   suffix    := "on" weekdays (weekly) | "on the" (day-ordinals | ordinal weekday | "last day") (monthly)
//              | "on" month day | "in" month (yearly)
//   modifier  := time | "until" date | ["for"] N "times" | "after completion" | "starting" date
//   adverb    := daily | weekly | monthly | yearly | annually | fortnightly | biweekly
//
// Words are matched with sticky regular expressions on the masked text, so a phrase never
// runs through a tag, a project or a quoted stretch.

/** A recurrence phrase found in the text. */
export interface RecurrencePhrase extends TextSpan {
  readonly rule: Rule;
  readonly from: RecurrenceFrom;
  /** "every day at 9am": the time of day named inside the phrase. */
  readonly time?: IsoTime;
  /** "every monday starting dec 7": the day the series may start. */
  readonly startDate?: IsoDate;
}

const WEEKDAY_WORDS: ReadonlyArray<[number, string]> = [
  [0, 'mondays?|mon'],
  [1, 'tuesdays?|tues|tue'],
  [2, 'wednesdays?|weds|wed'],
  [3, 'thursdays?|thurs|thur|thu'],
  [4, 'fridays?|fri'],
  [5, 'saturdays?|sat'],
  [6, 'sundays?|sun'],
];
const WEEKDAY = WEEKDAY_WORDS.map(([, words]) => words).join('|');

const MONTH_WORDS = [
  'january|jan',
  'february|feb',
  'march|mar',
  'april|apr',
  'may',
  'june|jun',
  'july|jul',
  'august|aug',
  'september|sept|sep',
  'october|oct',
  'november|nov',
  'december|dec',
];
const MONTH = MONTH_WORDS.join('|');

const NUMBER_WORDS = [
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
];
const NUMBER = `\\d{1,3}|${NUMBER_WORDS.join('|')}`;
const ORDINAL_WORDS = ['first', 'second', 'third', 'fourth', 'fifth'];
const WEEK_ORDINAL = `${ORDINAL_WORDS.join('|')}|last|[1-5](?:st|nd|rd|th)`;
const DAY_ORDINAL = `(?:[12]\\d|3[01]|0?[1-9])(?:st|nd|rd|th)|${ORDINAL_WORDS.join('|')}`;
const OF_THE_MONTH = 'of\\s+(?:the|every|each)\\s+month';

const ADVERBS: Record<string, Partial<Rule> & Pick<Rule, 'freq'>> = {
  daily: { freq: 'DAILY' },
  weekly: { freq: 'WEEKLY' },
  fortnightly: { freq: 'WEEKLY', interval: 2 },
  biweekly: { freq: 'WEEKLY', interval: 2 },
  monthly: { freq: 'MONTHLY' },
  yearly: { freq: 'YEARLY' },
  annually: { freq: 'YEARLY' },
};

/** A position in the masked text and the sticky matching of words at it. */
class Cursor {
  constructor(
    readonly text: string,
    public pos: number,
  ) {}

  /**
   * Matches `pattern` after optional spaces, as whole words, and moves past it. The pattern is
   * wrapped in a non-capturing group; its own groups come back in the match.
   */
  eat(pattern: string, wholeWord = true): RegExpExecArray | null {
    const re = cached(pattern, wholeWord);
    re.lastIndex = this.pos;
    const match = re.exec(this.text);
    if (match) this.pos += match[0].length;
    return match;
  }

  /** Runs `parse`, and puts the cursor back when it fails. */
  try<T>(parse: () => T | undefined): T | undefined {
    const saved = this.pos;
    const result = parse();
    if (result === undefined) this.pos = saved;
    return result;
  }
}

// Compiled once per pattern: the grammar runs on every keystroke.
const patterns = new Map<string, RegExp>();
function cached(pattern: string, wholeWord: boolean): RegExp {
  const key = `${wholeWord ? 'w' : 'p'}${pattern}`;
  let re = patterns.get(key);
  if (!re) {
    re = new RegExp(`\\s*(?:${pattern})${wholeWord ? '(?![\\p{L}\\p{M}\\p{N}_])' : ''}`, 'iuy');
    patterns.set(key, re);
  }
  return re;
}

/**
 * The first recurrence phrase in `masked`, or undefined. A phrase starts at a word start;
 * the first one wins and any later one stays in the title.
 */
export function findRecurrence(masked: string, context: DateContext): RecurrencePhrase | undefined {
  for (let i = 0; i < masked.length; i++) {
    const before = i > 0 ? masked[i - 1] : '';
    // A masked chip or literal right before a word joins it, as a letter would.
    if (
      !/\p{L}/u.test(masked[i]) ||
      /[\p{L}\p{M}\p{N}_'’-]/u.test(before) ||
      before === CHIP_MASK ||
      before === LITERAL_MASK
    )
      continue;
    const phrase = phraseAt(new Cursor(masked, i), context);
    if (phrase) return phrase;
  }
  return undefined;
}

function phraseAt(c: Cursor, context: DateContext): RecurrencePhrase | undefined {
  const start = c.pos;
  let from: RecurrenceFrom = 'due';
  let rule: Rule | undefined;
  let adverb = false;
  const every = c.eat('every!|every');
  if (every) {
    // Todoist's "every!" counts from completion.
    if (every[0].endsWith('!')) from = 'completion';
    rule = everyBody(c);
  } else {
    const word = c.eat(Object.keys(ADVERBS).join('|'));
    if (word) {
      adverb = true;
      rule = makeRule(ADVERBS[word[0].trim().toLowerCase()]);
    }
  }
  if (!rule) return undefined;
  rule = suffix(c, rule);

  let time: IsoTime | undefined;
  let startDate: IsoDate | undefined;
  let count: number | undefined;
  let until: IsoDate | undefined;
  for (;;) {
    const saved = c.pos;
    c.eat(','); // "every day, until dec 31"
    const t = time === undefined ? timeAt(c.text, c.pos) : undefined;
    if (t) {
      time = t.time;
      c.pos = t.end;
      continue;
    }
    if (
      from === 'due' &&
      c.eat(
        'after\\s+(?:completion|completing(?:\\s+it)?|complete|completed|done|finishing(?:\\s+it)?|finished)|from\\s+completion',
      )
    ) {
      from = 'completion';
      continue;
    }
    if (count === undefined && until === undefined) {
      const n = c.try(() => {
        const m = c.eat(`(?:for\\s+)?(${NUMBER})\\s+(?:times|occurrences)`);
        return m ? toNumber(m[1]) : undefined;
      });
      if (n !== undefined && n >= 1 && n <= 10_000) {
        count = n;
        continue;
      }
      const u = c.try(() =>
        c.eat('until|till|til|through|thru|ending(?:\\s+on)?')
          ? dateAt(c.text, c.pos, context)
          : undefined,
      );
      if (u) {
        until = u.date;
        c.pos = u.end;
        continue;
      }
    }
    if (startDate === undefined) {
      const s = c.try(() =>
        c.eat('(?:starting|beginning|from)(?:\\s+on)?')
          ? dateAt(c.text, c.pos, context)
          : undefined,
      );
      if (s) {
        startDate = s.date;
        c.pos = s.end;
        continue;
      }
    }
    c.pos = saved;
    break;
  }
  const end = c.pos;

  // "Write weekly report": an adverb before a plain word is an adjective of the title. It is a
  // rule only at the end of the text, or before a chip, a punctuation mark or a date ("Report
  // weekly", "Pay rent monthly #home", "Sync weekly from monday").
  if (adverb) {
    const next = /^\s*(.)/su.exec(c.text.slice(end))?.[1];
    if (
      next !== undefined &&
      next !== CHIP_MASK &&
      !/[,;.!?)]/.test(next) &&
      !dateAt(c.text, end, context)
    )
      return undefined;
  }
  return { start, end, rule: { ...rule, count, until }, from, time, startDate };
}

/** What follows "every". */
function everyBody(c: Cursor): Rule | undefined {
  return (
    c.try(() => {
      // "every other week", "every 3 days", "every two months", "every other monday"
      const n = c.eat(`(other|${NUMBER})`);
      if (!n) return undefined;
      const interval = n[1].toLowerCase() === 'other' ? 2 : toNumber(n[1]);
      if (interval === undefined || interval < 1 || interval > 1000) return undefined;
      const unit = unitRule(c, interval);
      if (unit) return unit;
      if (interval === 2) {
        const days = weekdays(c);
        if (days) return makeRule({ freq: 'WEEKLY', interval: 2, byDay: days });
      }
      return undefined;
    }) ??
    c.try(() => unitRule(c, 1)) ??
    c.try(() => {
      if (c.eat('weekdays?|workdays?|business\\s+days?'))
        return makeRule({ freq: 'WEEKLY', byDay: [0, 1, 2, 3, 4].map((weekday) => ({ weekday })) });
      if (c.eat('weekends?'))
        return makeRule({ freq: 'WEEKLY', byDay: [{ weekday: 5 }, { weekday: 6 }] });
      return undefined;
    }) ??
    c.try(() => {
      const byDay = ordinalWeekday(c);
      if (!byDay) return undefined;
      c.eat(OF_THE_MONTH);
      return makeRule({ freq: 'MONTHLY', byDay: [byDay] });
    }) ??
    c.try(() => {
      if (!c.eat('last\\s+day')) return undefined;
      c.eat(OF_THE_MONTH);
      return makeRule({ freq: 'MONTHLY', byMonthDay: [-1] });
    }) ??
    c.try(() => {
      const date = monthDay(c);
      return date
        ? makeRule({ freq: 'YEARLY', byMonth: [date.month], byMonthDay: [date.day] })
        : undefined;
    }) ??
    c.try(() => {
      const days = dayOrdinals(c);
      if (!days) return undefined;
      c.eat(OF_THE_MONTH);
      return makeRule({ freq: 'MONTHLY', byMonthDay: days });
    }) ??
    c.try(() => {
      const days = weekdays(c);
      return days ? makeRule({ freq: 'WEEKLY', byDay: days }) : undefined;
    })
  );
}

/** "day(s)", "week(s)", "fortnight", "month(s)", "year(s)" after an interval. */
function unitRule(c: Cursor, interval: number): Rule | undefined {
  const unit = c.eat('days?|weeks?|fortnights?|months?|years?');
  if (!unit) return undefined;
  const word = unit[0].trim().toLowerCase();
  if (word.startsWith('day')) return makeRule({ freq: 'DAILY', interval });
  if (word.startsWith('fortnight')) return makeRule({ freq: 'WEEKLY', interval: 2 * interval });
  if (word.startsWith('week')) return makeRule({ freq: 'WEEKLY', interval });
  if (word.startsWith('month')) return makeRule({ freq: 'MONTHLY', interval });
  return makeRule({ freq: 'YEARLY', interval });
}

/** "… on monday and thursday", "… on the 15th", "… on dec 25", "… in march". */
function suffix(c: Cursor, rule: Rule): Rule {
  const plain =
    rule.byDay.length === 0 && rule.byMonthDay.length === 0 && rule.byMonth.length === 0;
  if (!plain) return rule;
  const extended = c.try((): Rule | undefined => {
    switch (rule.freq) {
      case 'WEEKLY': {
        if (!c.eat('on')) return undefined;
        const days = weekdays(c);
        return days ? { ...rule, byDay: days } : undefined;
      }
      case 'MONTHLY': {
        if (!c.eat('on(?:\\s+the)?')) return undefined;
        const byDay = c.try(() => ordinalWeekday(c));
        if (byDay) return { ...rule, byDay: [byDay] };
        if (c.eat('last\\s+day')) return { ...rule, byMonthDay: [-1] };
        const days = dayOrdinals(c);
        return days ? { ...rule, byMonthDay: days } : undefined;
      }
      case 'YEARLY': {
        if (c.eat('in')) {
          const month = c.eat(`(${MONTH})`);
          return month ? { ...rule, byMonth: [monthNumber(month[1])] } : undefined;
        }
        if (!c.eat('on')) return undefined;
        const date = monthDay(c);
        return date ? { ...rule, byMonth: [date.month], byMonthDay: [date.day] } : undefined;
      }
      default:
        return undefined;
    }
  });
  return extended ?? rule;
}

/** "monday", "mon, wed, fri", "monday and thursday", "tue & thu", "mon/wed": weekdays in RRULE order. */
function weekdays(c: Cursor): ByDay[] | undefined {
  const first = c.eat(`(${WEEKDAY})`);
  if (!first) return undefined;
  const found = [weekdayNumber(first[1])];
  for (;;) {
    const next = c.try(() =>
      c.eat(',\\s*and\\s|,|\\s+and\\s|&|/', false)
        ? (c.eat(`(${WEEKDAY})`) ?? undefined)
        : undefined,
    );
    if (!next) break;
    found.push(weekdayNumber(next[1]));
  }
  return [...new Set(found)].sort((a, b) => a - b).map((weekday) => ({ weekday }));
}

/** "first monday", "2nd tuesday", "last friday". */
function ordinalWeekday(c: Cursor): ByDay | undefined {
  const m = c.eat(`(${WEEK_ORDINAL})\\s+(${WEEKDAY})`);
  if (!m) return undefined;
  const word = m[1].toLowerCase();
  const ordinal =
    word === 'last'
      ? -1
      : ORDINAL_WORDS.includes(word)
        ? ORDINAL_WORDS.indexOf(word) + 1
        : parseInt(word, 10);
  // "first mondays" reads oddly but is clear; the plural is accepted by WEEKDAY.
  return { weekday: weekdayNumber(m[2]), ordinal };
}

/** "1st", "15th", "1st and 15th", "first": days of the month. */
function dayOrdinals(c: Cursor): number[] | undefined {
  const first = c.eat(`(${DAY_ORDINAL})`);
  if (!first) return undefined;
  const days = [dayOrdinalNumber(first[1])];
  for (;;) {
    const next = c.try(() =>
      c.eat(',\\s*and\\s|,|\\s+and\\s|&', false)
        ? (c.eat(`(${DAY_ORDINAL})`) ?? undefined)
        : undefined,
    );
    if (!next) break;
    days.push(dayOrdinalNumber(next[1]));
  }
  return [...new Set(days)].sort((a, b) => a - b);
}

/** "dec 25", "december 25th", "25 dec", "25th of december": a day of a month (Feb 29 allowed). */
function monthDay(c: Cursor): { month: number; day: number } | undefined {
  const valid = (month: number, day: number) =>
    day >= 1 && day <= daysInMonth(2000, month) ? { month, day } : undefined;
  return (
    c.try(() => {
      const m = c.eat(`(${MONTH})\\.?\\s*(\\d{1,2})(?:st|nd|rd|th)?`);
      return m ? valid(monthNumber(m[1]), Number(m[2])) : undefined;
    }) ??
    c.try(() => {
      const m = c.eat(`(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?(${MONTH})\\.?`);
      return m ? valid(monthNumber(m[2]), Number(m[1])) : undefined;
    })
  );
}

function weekdayNumber(word: string): number {
  const lower = word.toLowerCase();
  return WEEKDAY_WORDS.find(([, words]) => new RegExp(`^(?:${words})$`).test(lower))?.[0] ?? 0;
}

function monthNumber(word: string): number {
  const lower = word.toLowerCase().replace('.', '');
  return MONTH_WORDS.findIndex((words) => new RegExp(`^(?:${words})$`).test(lower)) + 1;
}

function dayOrdinalNumber(word: string): number {
  const lower = word.toLowerCase();
  const index = ORDINAL_WORDS.indexOf(lower);
  return index >= 0 ? index + 1 : parseInt(lower, 10);
}

function toNumber(word: string): number | undefined {
  if (/^\d+$/.test(word)) return Number(word);
  const index = NUMBER_WORDS.indexOf(word.toLowerCase());
  return index >= 0 ? index + 1 : undefined;
}
