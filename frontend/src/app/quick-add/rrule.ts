import { isoDate, isRealDate, type IsoDate } from './calendar';

// The RRULE subset the server accepts (backend/src/tasks/recurrence.ts, parseRule): FREQ
// DAILY|WEEKLY|MONTHLY|YEARLY, INTERVAL, BYDAY (ordinals such as -1FR only with MONTHLY and
// YEARLY), BYMONTHDAY (±1–31, not with WEEKLY), BYMONTH, WKST, COUNT or UNTIL. The checks are
// repeated here so that the quick-add grammar can never build a rule the server refuses, and
// so that the editor can explain a rule without a round trip.

export type Frequency = 'DAILY' | 'WEEKLY' | 'MONTHLY' | 'YEARLY';

/** RRULE weekday codes in RRULE order; an index into this array is a weekday (0 = Monday). */
export const WEEKDAY_CODES = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;

export interface ByDay {
  /** 0 = Monday … 6 = Sunday. */
  readonly weekday: number;
  /** 1 = first, 2 = second, -1 = last …; absent for "every such weekday". */
  readonly ordinal?: number;
}

/** A parsed rule. Lists are empty when the part is absent. */
export interface Rule {
  readonly freq: Frequency;
  readonly interval: number;
  readonly byDay: readonly ByDay[];
  readonly byMonthDay: readonly number[];
  readonly byMonth: readonly number[];
  /** Week start, 0 = Monday (the RFC default). */
  readonly wkst: number;
  readonly count?: number;
  /** Inclusive last date. */
  readonly until?: IsoDate;
}

export class RRuleError extends Error {
  override readonly name = 'RRuleError';
}

const FREQUENCIES: readonly string[] = ['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'];
const PARTS = ['FREQ', 'INTERVAL', 'BYDAY', 'BYMONTHDAY', 'BYMONTH', 'COUNT', 'UNTIL', 'WKST'];

/** Parses a rule of the supported subset; throws RRuleError naming what the server would refuse. */
export function parseRRule(rrule: string): Rule {
  const text = rrule.startsWith('RRULE:') ? rrule.slice('RRULE:'.length) : rrule;
  if (text.length === 0 || rrule.length > 500)
    throw new RRuleError('rrule must be 1 to 500 characters');
  const parts = new Map<string, string>();
  for (const piece of text.split(';')) {
    const match = /^([A-Z]+)=([^;=]+)$/.exec(piece);
    if (!match) throw new RRuleError(`"${piece}" is not a NAME=value part`);
    if (!PARTS.includes(match[1])) throw new RRuleError(`${match[1]} is not supported`);
    if (parts.has(match[1])) throw new RRuleError(`${match[1]} appears twice`);
    parts.set(match[1], match[2]);
  }
  const freq = parts.get('FREQ');
  if (freq === undefined || !FREQUENCIES.includes(freq))
    throw new RRuleError('FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY');
  const interval = integer(parts.get('INTERVAL') ?? '1', 'INTERVAL', 1, 1000);
  const byDay = list(parts.get('BYDAY')).map((day) => {
    const match = /^([+-]?\d{1,2})?([A-Z]{2})$/.exec(day);
    const weekday = match ? (WEEKDAY_CODES as readonly string[]).indexOf(match[2]) : -1;
    if (!match || weekday < 0) throw new RRuleError(`BYDAY "${day}" is not a weekday`);
    if (match[1] === undefined) return { weekday };
    if (freq !== 'MONTHLY' && freq !== 'YEARLY')
      throw new RRuleError('an ordinal BYDAY needs MONTHLY or YEARLY');
    const ordinal = Number(match[1]);
    const limit = freq === 'MONTHLY' ? 5 : 53;
    if (ordinal === 0 || Math.abs(ordinal) > limit)
      throw new RRuleError(`BYDAY "${day}": ordinal out of range`);
    return { weekday, ordinal };
  });
  const byMonthDay = list(parts.get('BYMONTHDAY')).map((day) => {
    const value = integer(day, 'BYMONTHDAY', -31, 31);
    if (value === 0) throw new RRuleError('BYMONTHDAY must be 1 to 31 or -1 to -31');
    return value;
  });
  if (byMonthDay.length > 0 && freq === 'WEEKLY')
    throw new RRuleError('BYMONTHDAY cannot be used with WEEKLY');
  const byMonth = list(parts.get('BYMONTH')).map((month) => integer(month, 'BYMONTH', 1, 12));
  const wkstText = parts.get('WKST');
  const wkst = wkstText === undefined ? 0 : (WEEKDAY_CODES as readonly string[]).indexOf(wkstText);
  if (wkst < 0) throw new RRuleError('WKST must be a weekday');
  if (parts.has('COUNT') && parts.has('UNTIL'))
    throw new RRuleError('COUNT and UNTIL cannot both be given');
  const countText = parts.get('COUNT');
  const count = countText === undefined ? undefined : integer(countText, 'COUNT', 1, 10_000);
  const untilText = parts.get('UNTIL');
  const until = untilText === undefined ? undefined : untilDate(untilText);
  return { freq: freq as Frequency, interval, byDay, byMonthDay, byMonth, wkst, count, until };
}

/** The rule as an RRULE string, parts in a fixed order so equal rules compare equal as strings. */
export function formatRRule(rule: Rule): string {
  const parts = [`FREQ=${rule.freq}`];
  if (rule.interval !== 1) parts.push(`INTERVAL=${rule.interval}`);
  if (rule.byMonth.length > 0) parts.push(`BYMONTH=${rule.byMonth.join(',')}`);
  if (rule.byMonthDay.length > 0) parts.push(`BYMONTHDAY=${rule.byMonthDay.join(',')}`);
  if (rule.byDay.length > 0) {
    parts.push(
      `BYDAY=${rule.byDay.map((d) => `${d.ordinal ?? ''}${WEEKDAY_CODES[d.weekday]}`).join(',')}`,
    );
  }
  if (rule.wkst !== 0) parts.push(`WKST=${WEEKDAY_CODES[rule.wkst]}`);
  if (rule.count !== undefined) parts.push(`COUNT=${rule.count}`);
  if (rule.until !== undefined) parts.push(`UNTIL=${rule.until.replaceAll('-', '')}`);
  return parts.join(';');
}

/** A rule with defaults filled in, for building one by hand. */
export function makeRule(parts: Partial<Rule> & Pick<Rule, 'freq'>): Rule {
  return { interval: 1, byDay: [], byMonthDay: [], byMonth: [], wkst: 0, ...parts };
}

function list(value: string | undefined): string[] {
  return value === undefined ? [] : value.split(',');
}

function integer(text: string, part: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^[+-]?\d{1,6}$/.test(text) || value < min || value > max) {
    throw new RRuleError(`${part} must be an integer from ${min} to ${max}`);
  }
  return value;
}

/** UNTIL as a date: 20271231 or 20271231T235959Z; the date part counts (inclusive), as on the server. */
function untilDate(text: string): IsoDate {
  const match = /^(\d{4})(\d{2})(\d{2})(T\d{6}Z?)?$/.exec(text);
  if (!match || !isRealDate(Number(match[1]), Number(match[2]), Number(match[3]))) {
    throw new RRuleError('UNTIL must be a real date such as 20271231');
  }
  return isoDate(Number(match[1]), Number(match[2]), Number(match[3]));
}
