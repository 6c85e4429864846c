/**
 * Todoist's CSV export writes a task's DATE as its owner typed it, in
 * DATE_LANG: "every monday", "every! 3 days", "Jan 15", "2027-01-15 10:00",
 * "tomorrow". This reads the English forms into what a task here holds: a
 * due date and, for a recurring date, an RFC 5545 RRULE (with `from:
 * "completion"` for Todoist's `every!`, which counts from the completion).
 * Anything else is `unparsed`: the importer keeps the text in the task's
 * description, with a warning.
 */
export type TodoistDate =
  | { readonly kind: 'none' }
  | { readonly kind: 'date'; readonly dueDate: string; readonly time?: string }
  | {
      readonly kind: 'recurring';
      readonly rrule: string;
      readonly from: 'due' | 'completion';
      /** The first occurrence on or after today. */
      readonly dueDate: string;
      readonly time?: string;
    }
  | { readonly kind: 'unparsed'; readonly text: string };

const WEEKDAYS: Record<string, string> = {
  mo: 'MO', mon: 'MO', monday: 'MO',
  tu: 'TU', tue: 'TU', tues: 'TU', tuesday: 'TU',
  we: 'WE', wed: 'WE', wednesday: 'WE',
  th: 'TH', thu: 'TH', thur: 'TH', thurs: 'TH', thursday: 'TH',
  fr: 'FR', fri: 'FR', friday: 'FR',
  sa: 'SA', sat: 'SA', saturday: 'SA',
  su: 'SU', sun: 'SU', sunday: 'SU',
};
const DAY_INDEX: Record<string, number> = { SU: 0, MO: 1, TU: 2, WE: 3, TH: 4, FR: 5, SA: 6 };
const MONTHS: Record<string, number> = {
  jan: 1, january: 1, feb: 2, february: 2, mar: 3, march: 3, apr: 4, april: 4, may: 5, jun: 6, june: 6,
  jul: 7, july: 7, aug: 8, august: 8, sep: 9, sept: 9, september: 9, oct: 10, october: 10, nov: 11, november: 11,
  dec: 12, december: 12,
};
const UNITS: Record<string, 'DAILY' | 'WEEKLY' | 'MONTHLY' | 'YEARLY'> = {
  day: 'DAILY', days: 'DAILY', week: 'WEEKLY', weeks: 'WEEKLY', month: 'MONTHLY', months: 'MONTHLY', year: 'YEARLY', years: 'YEARLY',
};

/** `today`: YYYY-MM-DD in the importing user's time zone. */
export function parseTodoistDate(raw: string | undefined, today: string): TodoistDate {
  const text = (raw ?? '').trim();
  if (!text) return { kind: 'none' };
  const lower = text.toLowerCase().replace(/\s+/g, ' ');
  const { rest, time } = splitTime(lower);
  const recurring = /^(every!|every|daily|weekly|monthly|yearly|annually)(?: (.*))?$/.exec(rest);
  if (recurring) {
    const rule = recurrenceRule(recurring[1], (recurring[2] ?? "").trim());
    if (!rule) return { kind: 'unparsed', text };
    return {
      kind: 'recurring',
      rrule: rule.rrule,
      from: recurring[1] === 'every!' ? 'completion' : 'due',
      dueDate: firstOccurrence(rule, today),
      ...(time && { time }),
    };
  }
  const date = calendarDate(rest, today);
  return date ? { kind: 'date', dueDate: date, ...(time && { time }) } : { kind: 'unparsed', text };
}

/** " at 9am", " at 18:30", " 10:00" at the end: a time of day, HH:MM. */
function splitTime(text: string): { rest: string; time?: string } {
  const match = / (?:at |@ ?)?(\d{1,2})(?::(\d{2}))? ?(am|pm)?$/.exec(text);
  if (!match || (!match[2] && !match[3] && !/ (at|@)/.test(match[0]))) return { rest: text };
  let hour = Number(match[1]);
  const minute = Number(match[2] ?? 0);
  if (match[3] === 'pm' && hour < 12) hour += 12;
  if (match[3] === 'am' && hour === 12) hour = 0;
  if (hour > 23 || minute > 59) return { rest: text };
  return { rest: text.slice(0, match.index).trim(), time: `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}` };
}

interface Rule {
  readonly rrule: string;
  readonly freq: 'DAILY' | 'WEEKLY' | 'MONTHLY' | 'YEARLY';
  readonly byDay?: string[];
  readonly byMonthDay?: number;
}

function recurrenceRule(keyword: string, rest: string): Rule | undefined {
  const make = (freq: Rule['freq'], extra: { interval?: number; byDay?: string[]; byMonthDay?: number } = {}): Rule => {
    const parts = [`FREQ=${freq}`];
    if (extra.interval && extra.interval > 1) parts.push(`INTERVAL=${extra.interval}`);
    if (extra.byDay) parts.push(`BYDAY=${extra.byDay.join(',')}`);
    if (extra.byMonthDay !== undefined) parts.push(`BYMONTHDAY=${extra.byMonthDay}`);
    return { rrule: parts.join(';'), freq, byDay: extra.byDay, byMonthDay: extra.byMonthDay };
  };
  if (keyword !== 'every' && keyword !== 'every!') {
    if (rest) return undefined;
    return make(keyword === 'daily' ? 'DAILY' : keyword === 'weekly' ? 'WEEKLY' : keyword === 'monthly' ? 'MONTHLY' : 'YEARLY');
  }
  const unit = /^(?:(\d+|other) )?(days?|weeks?|months?|years?)$/.exec(rest);
  if (unit) {
    const interval = unit[1] === 'other' ? 2 : unit[1] ? Number(unit[1]) : 1;
    if (interval < 1 || interval > 999) return undefined;
    return make(UNITS[unit[2]], { interval });
  }
  if (rest === 'weekday' || rest === 'workday') return make('WEEKLY', { byDay: ['MO', 'TU', 'WE', 'TH', 'FR'] });
  if (rest === 'weekend') return make('WEEKLY', { byDay: ['SA', 'SU'] });
  const days = rest.split(/ ?(?:,|\band\b) ?/).filter(Boolean);
  if (days.length > 0 && days.every((day) => WEEKDAYS[day] !== undefined)) {
    const byDay = [...new Set(days.map((day) => WEEKDAYS[day]))].sort((a, b) => ((DAY_INDEX[a] + 6) % 7) - ((DAY_INDEX[b] + 6) % 7));
    return make('WEEKLY', { byDay });
  }
  if (/^(?:month on the )?last day(?: of (?:the )?month)?$/.test(rest)) return make('MONTHLY', { byMonthDay: -1 });
  const monthDay = /^(?:month on the )?(\d{1,2})(?:st|nd|rd|th)?(?: of (?:the )?month)?$/.exec(rest);
  if (monthDay && Number(monthDay[1]) >= 1 && Number(monthDay[1]) <= 31) return make('MONTHLY', { byMonthDay: Number(monthDay[1]) });
  return undefined;
}

/** The first date on or after `today` the rule produces (its start is today for a rule without a fixed day). */
function firstOccurrence(rule: Rule, today: string): string {
  const start = new Date(`${today}T00:00:00Z`);
  if (rule.byDay) {
    for (let offset = 0; offset < 7; offset++) {
      const day = addDays(start, offset);
      if (rule.byDay.includes(Object.keys(DAY_INDEX)[day.getUTCDay()])) return iso(day);
    }
  }
  if (rule.byMonthDay !== undefined) {
    for (let month = 0; month < 13; month++) {
      const first = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + month, 1));
      const length = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
      const day = rule.byMonthDay === -1 ? length : rule.byMonthDay;
      // A month without that day (31 in April) has no occurrence, as in RFC 5545.
      if (day > length) continue;
      const candidate = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), day));
      if (candidate >= start) return iso(candidate);
    }
  }
  return today;
}

function calendarDate(text: string, today: string): string | undefined {
  if (text === 'today') return today;
  if (text === 'tomorrow') return iso(addDays(new Date(`${today}T00:00:00Z`), 1));
  const isoMatch = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (isoMatch) return valid(Number(isoMatch[1]), Number(isoMatch[2]), Number(isoMatch[3]));
  const monthFirst = /^([a-z]+)\.? (\d{1,2})(?:st|nd|rd|th)?,? ?(\d{4})?$/.exec(text);
  const dayFirst = /^(\d{1,2})(?:st|nd|rd|th)? ([a-z]+)\.?,? ?(\d{4})?$/.exec(text);
  const parts = monthFirst
    ? { month: MONTHS[monthFirst[1]], day: Number(monthFirst[2]), year: monthFirst[3] }
    : dayFirst
      ? { month: MONTHS[dayFirst[2]], day: Number(dayFirst[1]), year: dayFirst[3] }
      : undefined;
  if (!parts?.month) return undefined;
  if (parts.year) return valid(Number(parts.year), parts.month, parts.day);
  // No year: the next such day from today, as Todoist reads it.
  const year = Number(today.slice(0, 4));
  const thisYear = valid(year, parts.month, parts.day);
  if (thisYear && thisYear >= today) return thisYear;
  return valid(year + 1, parts.month, parts.day) ?? thisYear;
}

function valid(year: number, month: number, day: number): string | undefined {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? iso(date) : undefined;
}

function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * 86_400_000);
}

function iso(date: Date): string {
  return date.toISOString().slice(0, 10);
}
