import {
  parseQuickAdd,
  rebaseIgnored,
  suggestProjects,
  toCreateBody,
  type Priority,
  type ProjectRef,
  type QuickAddOptions,
  type QuickAddResult,
} from './quick-add';

const PROJECTS: ProjectRef[] = [
  { id: 'work', name: 'Work' },
  { id: 'home', name: 'Home' },
  { id: 'reno', name: 'Home renovation' },
  { id: 'side', name: 'Side Project' },
];

// Sunday 29 November 2026, 10:00 in Berlin (09:00 UTC).
const BERLIN: QuickAddOptions = {
  timeZone: 'Europe/Berlin',
  locale: 'en-US',
  now: new Date('2026-11-29T09:00:00Z'),
  projects: PROJECTS,
};
const GB: QuickAddOptions = { ...BERLIN, locale: 'en-GB' };
const DE: QuickAddOptions = { ...BERLIN, locale: 'de-DE' };
// 00:30 on Monday 30 November in Berlin, while UTC (and a browser set to it) is still on Sunday.
const BERLIN_AFTER_MIDNIGHT: QuickAddOptions = { ...BERLIN, now: new Date('2026-11-29T23:30:00Z') };
// 22:30 on Sunday 29 November in New York, while UTC is already on Monday.
const NEW_YORK_LATE: QuickAddOptions = {
  ...BERLIN,
  timeZone: 'America/New_York',
  now: new Date('2026-11-30T03:30:00Z'),
};

interface Row {
  readonly text: string;
  readonly title: string;
  /** 'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM'. */
  readonly due?: string;
  readonly rrule?: string;
  readonly from?: 'completion';
  readonly tags?: string[];
  readonly priority?: Priority;
  /** A project id, or '?Name' for an unresolved one. */
  readonly project?: string;
  /** 'kind:source text', in text order. */
  readonly chips?: string[];
  readonly options?: QuickAddOptions;
}

function summary(result: QuickAddResult) {
  return {
    title: result.title,
    due:
      result.due_date === undefined
        ? undefined
        : result.due_time
          ? `${result.due_date} ${result.due_time}`
          : result.due_date,
    rrule: result.recurrence?.rrule,
    from: result.recurrence?.from,
    tags: result.tags,
    priority: result.priority,
    project:
      result.project === undefined
        ? undefined
        : 'unresolved' in result.project
          ? `?${result.project.unresolved}`
          : result.project.id,
    chips: result.chips.map((c) => `${c.kind}:${c.text}`),
  };
}

const LONG = Array.from(
  { length: 3 },
  () => 'Write the migration guide covering every breaking change in the importer',
).join(' and ');

const TABLE: Row[] = [
  // Dates and times (Sunday 29 November, 10:00)
  { text: 'Buy milk today', title: 'Buy milk', due: '2026-11-29', chips: ['date:today'] },
  {
    text: 'Buy milk tomorrow 5pm',
    title: 'Buy milk',
    due: '2026-11-30 17:00',
    chips: ['date:tomorrow 5pm'],
  },
  { text: 'Submit report fri', title: 'Submit report', due: '2026-12-04', chips: ['date:fri'] },
  { text: 'Dentist next monday', title: 'Dentist', due: '2026-11-30', chips: ['date:next monday'] },
  { text: 'Call back in 3 days', title: 'Call back', due: '2026-12-02', chips: ['date:in 3 days'] },
  {
    text: 'Renew passport dec 5',
    title: 'Renew passport',
    due: '2026-12-05',
    chips: ['date:dec 5'],
  },
  { text: 'Bake cookies Nov 28', title: 'Bake cookies', due: '2027-11-28', chips: ['date:Nov 28'] },
  { text: 'Gym at 17:30', title: 'Gym', due: '2026-11-29 17:30', chips: ['time:at 17:30'] },
  { text: 'Stretch at 9am', title: 'Stretch', due: '2026-11-30 09:00', chips: ['time:at 9am'] },
  {
    text: 'Pick up kids 3:15pm',
    title: 'Pick up kids',
    due: '2026-11-29 15:15',
    chips: ['time:3:15pm'],
  },
  {
    text: 'Take out trash tonight',
    title: 'Take out trash',
    due: '2026-11-29 20:00',
    chips: ['date:tonight'],
  },
  {
    text: 'Plan the week this evening',
    title: 'Plan the week',
    due: '2026-11-29 19:00',
    chips: ['time:this evening'],
  },
  { text: 'Plan the day', title: 'Plan the day' },
  {
    text: 'Review the year in a week',
    title: 'Review the year',
    due: '2026-12-06',
    chips: ['date:in a week'],
  },
  {
    text: 'Call the day after tomorrow',
    title: 'Call',
    due: '2026-12-01',
    chips: ['date:the day after tomorrow'],
  },
  {
    text: 'Call mom in the morning',
    title: 'Call mom',
    due: '2026-11-30 09:00',
    chips: ['time:in the morning'],
  },
  {
    text: 'Lunch with Sam tomorrow noon',
    title: 'Lunch with Sam',
    due: '2026-11-30 12:00',
    chips: ['date:tomorrow noon'],
  },
  { text: 'Meeting on friday', title: 'Meeting', due: '2026-12-04', chips: ['date:on friday'] },
  {
    text: 'Finish report by friday',
    title: 'Finish report',
    due: '2026-12-04',
    chips: ['date:by friday'],
  },
  { text: 'Thesis due jan 15', title: 'Thesis', due: '2027-01-15', chips: ['date:due jan 15'] },
  {
    text: 'Submit form before dec 5',
    title: 'Submit form',
    due: '2026-12-05',
    chips: ['date:before dec 5'],
  },
  {
    text: 'Call at 10:30 tomorrow',
    title: 'Call',
    due: '2026-11-30 10:30',
    chips: ['date:at 10:30 tomorrow'],
  },
  {
    text: 'tomorrow buy milk at 5pm',
    title: 'buy milk',
    due: '2026-11-30 17:00',
    chips: ['date:tomorrow', 'time:at 5pm'],
  },
  {
    text: 'Call Anna tomorrow about friday',
    title: 'Call Anna about friday',
    due: '2026-11-30',
    chips: ['date:tomorrow'],
  },
  { text: 'Lunch sat 1pm', title: 'Lunch', due: '2026-12-05 13:00', chips: ['date:sat 1pm'] },
  { text: 'Lunch on sat', title: 'Lunch', due: '2026-12-05', chips: ['date:on sat'] },
  { text: 'Run 5k sunday', title: 'Run 5k', due: '2026-11-29', chips: ['date:sunday'] },
  {
    text: 'Review 2026-12-01 spec',
    title: 'Review spec',
    due: '2026-12-01',
    chips: ['date:2026-12-01'],
  },
  { text: 'Fix bug 12/25/2026', title: 'Fix bug', due: '2026-12-25', chips: ['date:12/25/2026'] },
  {
    text: 'Plan sprint in 2 weeks',
    title: 'Plan sprint',
    due: '2026-12-13',
    chips: ['date:in 2 weeks'],
  },
  {
    text: 'Clean desk next week',
    title: 'Clean desk',
    due: '2026-11-30',
    chips: ['date:next week'],
  },
  {
    text: 'Send invoices end of month',
    title: 'Send invoices',
    due: '2026-11-30',
    chips: ['date:end of month'],
  },
  { text: 'Dinner fri at 5', title: 'Dinner at 5', due: '2026-12-04', chips: ['date:fri'] },
  {
    text: '  Buy   milk ,  tomorrow  ',
    title: 'Buy milk',
    due: '2026-11-30',
    chips: ['date:tomorrow'],
  },

  // Numeric dates follow the locale
  { text: 'Fix bug 5/12', title: 'Fix bug', due: '2027-05-12', chips: ['date:5/12'] },
  { text: 'Fix bug 5/12', title: 'Fix bug', due: '2026-12-05', chips: ['date:5/12'], options: GB },
  { text: 'Fix bug 5/12', title: 'Fix bug', due: '2026-12-05', chips: ['date:5/12'], options: DE },
  {
    text: 'Zahnarzt 5.12.',
    title: 'Zahnarzt',
    due: '2026-12-05',
    chips: ['date:5.12.'],
    options: DE,
  },
  {
    text: 'Zahnarzt 5.12.2027',
    title: 'Zahnarzt',
    due: '2027-12-05',
    chips: ['date:5.12.2027'],
    options: DE,
  },
  { text: 'Party 13/5', title: 'Party', due: '2027-05-13', chips: ['date:13/5'] },
  {
    text: 'Party 05/12/27',
    title: 'Party',
    due: '2027-12-05',
    chips: ['date:05/12/27'],
    options: GB,
  },
  {
    text: 'Leap party 29/2',
    title: 'Leap party',
    due: '2028-02-29',
    chips: ['date:29/2'],
    options: GB,
  },
  { text: 'Release 5.12', title: 'Release 5.12', options: DE },
  {
    text: 'Pay taxes jan 31',
    title: 'Pay taxes',
    due: '2027-01-31',
    chips: ['date:jan 31'],
    options: GB,
  },
  {
    text: 'Buy milk tomorrow 5pm',
    title: 'Buy milk',
    due: '2026-11-30 17:00',
    chips: ['date:tomorrow 5pm'],
    options: DE,
  },

  // The user's zone, not the browser's
  {
    text: 'Call Ben today',
    title: 'Call Ben',
    due: '2026-11-30',
    chips: ['date:today'],
    options: BERLIN_AFTER_MIDNIGHT,
  },
  {
    text: 'Stretch at 9am',
    title: 'Stretch',
    due: '2026-11-30 09:00',
    chips: ['time:at 9am'],
    options: BERLIN_AFTER_MIDNIGHT,
  },
  {
    text: 'Journal every day',
    title: 'Journal',
    due: '2026-11-30',
    rrule: 'FREQ=DAILY',
    chips: ['recurrence:every day'],
    options: BERLIN_AFTER_MIDNIGHT,
  },
  {
    text: 'Call Ben today',
    title: 'Call Ben',
    due: '2026-11-29',
    chips: ['date:today'],
    options: NEW_YORK_LATE,
  },
  {
    text: 'Call Ben tomorrow',
    title: 'Call Ben',
    due: '2026-11-30',
    chips: ['date:tomorrow'],
    options: NEW_YORK_LATE,
  },
  {
    text: 'Journal every day',
    title: 'Journal',
    due: '2026-11-29',
    rrule: 'FREQ=DAILY',
    chips: ['recurrence:every day'],
    options: NEW_YORK_LATE,
  },
  {
    text: 'Check oven in 2 hours',
    title: 'Check oven',
    due: '2026-11-30 00:30',
    chips: ['date:in 2 hours'],
    options: NEW_YORK_LATE,
  },
  {
    text: 'Lock up at 11pm',
    title: 'Lock up',
    due: '2026-11-29 23:00',
    chips: ['time:at 11pm'],
    options: NEW_YORK_LATE,
  },
  {
    text: 'Weekly call every monday',
    title: 'Weekly call',
    due: '2026-11-30',
    rrule: 'FREQ=WEEKLY;BYDAY=MO',
    chips: ['recurrence:every monday'],
    options: NEW_YORK_LATE,
  },

  // Recurrence
  {
    text: 'Standup every weekday at 9am #work',
    title: 'Standup',
    due: '2026-11-30 09:00',
    rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR',
    tags: ['work'],
    chips: ['recurrence:every weekday at 9am', 'tag:#work'],
  },
  {
    text: 'Journal daily',
    title: 'Journal',
    due: '2026-11-29',
    rrule: 'FREQ=DAILY',
    chips: ['recurrence:daily'],
  },
  {
    text: 'Water plants every 3 days',
    title: 'Water plants',
    due: '2026-11-29',
    rrule: 'FREQ=DAILY;INTERVAL=3',
    chips: ['recurrence:every 3 days'],
  },
  {
    text: 'Mop floors every other week',
    title: 'Mop floors',
    due: '2026-11-29',
    rrule: 'FREQ=WEEKLY;INTERVAL=2',
    chips: ['recurrence:every other week'],
  },
  {
    text: 'Team sync every other monday',
    title: 'Team sync',
    due: '2026-11-30',
    rrule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO',
    chips: ['recurrence:every other monday'],
  },
  {
    text: 'Gym every monday and thursday',
    title: 'Gym',
    due: '2026-11-30',
    rrule: 'FREQ=WEEKLY;BYDAY=MO,TH',
    chips: ['recurrence:every monday and thursday'],
  },
  {
    text: 'Gym every mon, wed, fri',
    title: 'Gym',
    due: '2026-11-30',
    rrule: 'FREQ=WEEKLY;BYDAY=MO,WE,FR',
    chips: ['recurrence:every mon, wed, fri'],
  },
  {
    text: 'Swim every mon/wed',
    title: 'Swim',
    due: '2026-11-30',
    rrule: 'FREQ=WEEKLY;BYDAY=MO,WE',
    chips: ['recurrence:every mon/wed'],
  },
  {
    text: '1:1 every 2 weeks on mon and thu',
    title: '1:1',
    due: '2026-11-30',
    rrule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH',
    chips: ['recurrence:every 2 weeks on mon and thu'],
  },
  {
    text: 'Groceries every weekend',
    title: 'Groceries',
    due: '2026-11-29',
    rrule: 'FREQ=WEEKLY;BYDAY=SA,SU',
    chips: ['recurrence:every weekend'],
  },
  {
    text: 'Pay rent every month on the 1st',
    title: 'Pay rent',
    due: '2026-12-01',
    rrule: 'FREQ=MONTHLY;BYMONTHDAY=1',
    chips: ['recurrence:every month on the 1st'],
  },
  {
    text: 'Invoice every month on the 15th',
    title: 'Invoice',
    due: '2026-12-15',
    rrule: 'FREQ=MONTHLY;BYMONTHDAY=15',
    chips: ['recurrence:every month on the 15th'],
  },
  {
    text: 'Review budget monthly',
    title: 'Review budget',
    due: '2026-11-29',
    rrule: 'FREQ=MONTHLY',
    chips: ['recurrence:monthly'],
  },
  {
    text: 'Team lunch every last friday',
    title: 'Team lunch',
    due: '2026-12-25',
    rrule: 'FREQ=MONTHLY;BYDAY=-1FR',
    chips: ['recurrence:every last friday'],
  },
  {
    text: 'Book club every first monday',
    title: 'Book club',
    due: '2026-12-07',
    rrule: 'FREQ=MONTHLY;BYDAY=1MO',
    chips: ['recurrence:every first monday'],
  },
  {
    text: 'Board meeting every 2nd tuesday of the month',
    title: 'Board meeting',
    due: '2026-12-08',
    rrule: 'FREQ=MONTHLY;BYDAY=2TU',
    chips: ['recurrence:every 2nd tuesday of the month'],
  },
  {
    text: 'Backup every last day of the month',
    title: 'Backup',
    due: '2026-11-30',
    rrule: 'FREQ=MONTHLY;BYMONTHDAY=-1',
    chips: ['recurrence:every last day of the month'],
  },
  {
    text: 'Payroll every month on the last friday',
    title: 'Payroll',
    due: '2026-12-25',
    rrule: 'FREQ=MONTHLY;BYDAY=-1FR',
    chips: ['recurrence:every month on the last friday'],
  },
  {
    text: 'Pay card every 1st and 15th',
    title: 'Pay card',
    due: '2026-12-01',
    rrule: 'FREQ=MONTHLY;BYMONTHDAY=1,15',
    chips: ['recurrence:every 1st and 15th'],
  },
  {
    text: 'Clean filter every 3 months on the 15th',
    title: 'Clean filter',
    due: '2026-12-15',
    rrule: 'FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=15',
    chips: ['recurrence:every 3 months on the 15th'],
  },
  {
    text: 'Renew domain every year',
    title: 'Renew domain',
    due: '2026-11-29',
    rrule: 'FREQ=YEARLY',
    chips: ['recurrence:every year'],
  },
  {
    text: 'Check smoke alarms yearly',
    title: 'Check smoke alarms',
    due: '2026-11-29',
    rrule: 'FREQ=YEARLY',
    chips: ['recurrence:yearly'],
  },
  {
    text: 'Christmas cards every dec 25',
    title: 'Christmas cards',
    due: '2026-12-25',
    rrule: 'FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=25',
    chips: ['recurrence:every dec 25'],
  },
  {
    text: 'Gifts every year on dec 25',
    title: 'Gifts',
    due: '2026-12-25',
    rrule: 'FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=25',
    chips: ['recurrence:every year on dec 25'],
  },
  {
    text: 'Toast every 1st of january at 10am',
    title: 'Toast',
    due: '2027-01-01 10:00',
    rrule: 'FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=1',
    chips: ['recurrence:every 1st of january at 10am'],
  },
  {
    text: 'Leap day party every 29 feb',
    title: 'Leap day party',
    due: '2028-02-29',
    rrule: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29',
    chips: ['recurrence:every 29 feb'],
  },
  {
    text: 'Weekly review every week',
    title: 'Weekly review',
    due: '2026-11-29',
    rrule: 'FREQ=WEEKLY',
    chips: ['recurrence:every week'],
  },
  {
    text: 'Vitamins every day at 8am',
    title: 'Vitamins',
    due: '2026-11-29 08:00',
    rrule: 'FREQ=DAILY',
    chips: ['recurrence:every day at 8am'],
  },
  {
    text: 'Advent candle every day until dec 24',
    title: 'Advent candle',
    due: '2026-11-29',
    rrule: 'FREQ=DAILY;UNTIL=20261224',
    chips: ['recurrence:every day until dec 24'],
  },
  {
    text: 'Log hours every day until 12/31',
    title: 'Log hours',
    due: '2026-11-29',
    rrule: 'FREQ=DAILY;UNTIL=20261231',
    chips: ['recurrence:every day until 12/31'],
  },
  {
    text: 'Pay bills every month on the 1st until dec 31 2027',
    title: 'Pay bills',
    due: '2026-12-01',
    rrule: 'FREQ=MONTHLY;BYMONTHDAY=1;UNTIL=20271231',
    chips: ['recurrence:every month on the 1st until dec 31 2027'],
  },
  {
    text: 'Physio every tue & thu for 10 times',
    title: 'Physio',
    due: '2026-12-01',
    rrule: 'FREQ=WEEKLY;BYDAY=TU,TH;COUNT=10',
    chips: ['recurrence:every tue & thu for 10 times'],
  },
  {
    text: 'Stretch every weekday, 5 times',
    title: 'Stretch',
    due: '2026-11-30',
    rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;COUNT=5',
    chips: ['recurrence:every weekday, 5 times'],
  },
  {
    text: 'Water cactus every 3 days after done',
    title: 'Water cactus',
    due: '2026-11-29',
    rrule: 'FREQ=DAILY;INTERVAL=3',
    from: 'completion',
    chips: ['recurrence:every 3 days after done'],
  },
  {
    text: 'Descale kettle every month after completion',
    title: 'Descale kettle',
    due: '2026-11-29',
    rrule: 'FREQ=MONTHLY',
    from: 'completion',
    chips: ['recurrence:every month after completion'],
  },
  {
    text: 'Haircut every! 4 weeks',
    title: 'Haircut',
    due: '2026-11-29',
    rrule: 'FREQ=WEEKLY;INTERVAL=4',
    from: 'completion',
    chips: ['recurrence:every! 4 weeks'],
  },
  {
    text: 'Sync fortnightly',
    title: 'Sync',
    due: '2026-11-29',
    rrule: 'FREQ=WEEKLY;INTERVAL=2',
    chips: ['recurrence:fortnightly'],
  },
  {
    text: 'Yoga every monday starting dec 9',
    title: 'Yoga',
    due: '2026-12-14',
    rrule: 'FREQ=WEEKLY;BYDAY=MO',
    chips: ['recurrence:every monday starting dec 9'],
  },
  {
    text: 'Yoga every monday dec 9',
    title: 'Yoga',
    due: '2026-12-14',
    rrule: 'FREQ=WEEKLY;BYDAY=MO',
    chips: ['recurrence:every monday', 'date:dec 9'],
  },
  {
    text: 'Report weekly',
    title: 'Report',
    due: '2026-11-29',
    rrule: 'FREQ=WEEKLY',
    chips: ['recurrence:weekly'],
  },
  {
    text: 'Pay rent monthly tomorrow',
    title: 'Pay rent',
    due: '2026-11-30',
    rrule: 'FREQ=MONTHLY',
    chips: ['recurrence:monthly', 'date:tomorrow'],
  },
  {
    text: 'Pay rent monthly #home',
    title: 'Pay rent',
    due: '2026-11-29',
    rrule: 'FREQ=MONTHLY',
    tags: ['home'],
    chips: ['recurrence:monthly', 'tag:#home'],
  },
  {
    text: 'Stand-up every weekday at 9:30',
    title: 'Stand-up',
    due: '2026-11-30 09:30',
    rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR',
    chips: ['recurrence:every weekday at 9:30'],
  },
  {
    text: 'every day at 9am tomorrow',
    title: '',
    due: '2026-11-30 09:00',
    rrule: 'FREQ=DAILY',
    chips: ['recurrence:every day at 9am', 'date:tomorrow'],
  },
  {
    text: 'Daily standup every weekday',
    title: 'Daily standup',
    due: '2026-11-30',
    rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR',
    chips: ['recurrence:every weekday'],
  },

  // Tags, priority, project
  {
    text: 'Plan trip #travel #Reise #日本 #TRAVEL',
    title: 'Plan trip',
    tags: ['travel', 'Reise', '日本'],
    chips: ['tag:#travel', 'tag:#Reise', 'tag:#日本', 'tag:#TRAVEL'],
  },
  {
    text: 'Order beans #café-crème',
    title: 'Order beans',
    tags: ['café-crème'],
    chips: ['tag:#café-crème'],
  },
  {
    text: 'Read #long_tag-name, then rest',
    title: 'Read, then rest',
    tags: ['long_tag-name'],
    chips: ['tag:#long_tag-name'],
  },
  { text: 'Fix #123 now', title: 'Fix #123 now' },
  { text: 'C# tutorial', title: 'C# tutorial' },
  {
    text: 'Email +Work team !1',
    title: 'Email team',
    priority: 'high',
    project: 'work',
    chips: ['project:+Work', 'priority:!1'],
  },
  {
    text: 'Tiles +Home renovation',
    title: 'Tiles',
    project: 'reno',
    chips: ['project:+Home renovation'],
  },
  { text: 'Laundry +home', title: 'Laundry', project: 'home', chips: ['project:+home'] },
  {
    text: 'Plan +side project launch',
    title: 'Plan launch',
    project: 'side',
    chips: ['project:+side project'],
  },
  { text: 'Essay +Homework', title: 'Essay', project: '?Homework', chips: ['project:+Homework'] },
  {
    text: 'Buy seeds +Garden stuff',
    title: 'Buy seeds stuff',
    project: '?Garden',
    chips: ['project:+Garden'],
  },
  { text: 'Email +Work +Home', title: 'Email +Home', project: 'work', chips: ['project:+Work'] },
  { text: 'Call +49 30 1234', title: 'Call +49 30 1234' },
  { text: 'wow!1', title: 'wow!1' },
  { text: '!2 !3 review', title: '!3 review', priority: 'medium', chips: ['priority:!2'] },
  { text: 'Refactor !low', title: 'Refactor', priority: 'low', chips: ['priority:!low'] },
  { text: 'Deploy !MED', title: 'Deploy', priority: 'medium', chips: ['priority:!MED'] },
  {
    text: 'Task !high tomorrow #a !low',
    title: 'Task !low',
    due: '2026-11-30',
    tags: ['a'],
    priority: 'high',
    chips: ['priority:!high', 'date:tomorrow', 'tag:#a'],
  },
  {
    text: 'Quarterly review every monday at 9am !high +Work #meetings',
    title: 'Quarterly review',
    due: '2026-11-30 09:00',
    rrule: 'FREQ=WEEKLY;BYDAY=MO',
    tags: ['meetings'],
    priority: 'high',
    project: 'work',
    chips: ['recurrence:every monday at 9am', 'priority:!high', 'project:+Work', 'tag:#meetings'],
  },
  { text: 'Party #friday', title: 'Party', tags: ['friday'], chips: ['tag:#friday'] },

  // Quotes keep words literal
  { text: 'Buy "dec 5" stamps', title: 'Buy dec 5 stamps' },
  {
    text: '“Every day” poster tomorrow',
    title: 'Every day poster',
    due: '2026-11-30',
    chips: ['date:tomorrow'],
  },
  { text: 'Buy „next friday“ tickets', title: 'Buy next friday tickets' },
  {
    text: 'Read "#1 tips" !high',
    title: 'Read #1 tips',
    priority: 'high',
    chips: ['priority:!high'],
  },
  {
    text: 'Buy 12" pipe tomorrow',
    title: 'Buy 12" pipe',
    due: '2026-11-30',
    chips: ['date:tomorrow'],
  },
  { text: 'Watch "Friday Night Lights', title: 'Watch "Friday Night Lights' },

  // Ordinary words are not dates
  { text: 'Call May about the report', title: 'Call May about the report' },
  { text: 'March with the team', title: 'March with the team' },
  { text: 'Read 1984', title: 'Read 1984' },
  { text: 'Buy sun cream', title: 'Buy sun cream' },
  { text: 'Lunch sat', title: 'Lunch sat' },
  { text: 'Pick up wed ring', title: 'Pick up wed ring' },
  { text: 'Write weekly report', title: 'Write weekly report' },
  { text: 'biweekly report', title: 'biweekly report' },
  { text: 'Do it now', title: 'Do it now' },
  { text: 'Call mom at 5', title: 'Call mom at 5' },
  { text: 'Pay 3/4 of rent', title: 'Pay 3/4 of rent' },
  { text: 'Buy 1/2 cup sugar', title: 'Buy 1/2 cup sugar' },
  { text: 'Wait 5 minutes', title: 'Wait 5 minutes' },
  { text: 'Release v2.1', title: 'Release v2.1' },
  { text: 'Read every chapter', title: 'Read every chapter' },
  { text: 'Pack everyday carry', title: 'Pack everyday carry' },
  { text: 'Season 2 episode 5', title: 'Season 2 episode 5' },
  { text: 'Party every feb 30', title: 'Party every feb 30' },
  { text: 'Book flight for june', title: 'Book flight for june' },

  // Punctuation left behind
  { text: 'Buy milk #home.', title: 'Buy milk.', tags: ['home'], chips: ['tag:#home'] },
  { text: 'Call Bo - tomorrow', title: 'Call Bo', due: '2026-11-30', chips: ['date:tomorrow'] },
  { text: 'Ship it, tomorrow!', title: 'Ship it!', due: '2026-11-30', chips: ['date:tomorrow'] },

  // Nothing to read
  { text: '', title: '' },
  { text: '   ', title: '' },

  // Long titles
  {
    text: `${LONG} tomorrow #docs`,
    title: LONG,
    due: '2026-11-30',
    tags: ['docs'],
    chips: ['date:tomorrow', 'tag:#docs'],
  },
];

describe('parseQuickAdd', () => {
  it('has a table of at least 100 phrases', () => {
    expect(TABLE.length).toBeGreaterThanOrEqual(100);
  });

  it.each(TABLE.map((row) => [row.text, row] as const))('%s', (text, row) => {
    const result = parseQuickAdd(text, row.options ?? BERLIN);
    expect(summary(result)).toEqual({
      title: row.title,
      due: row.due,
      rrule: row.rrule,
      from: row.rrule === undefined ? undefined : (row.from ?? 'due'),
      tags: row.tags ?? [],
      priority: row.priority,
      project: row.project,
      chips: row.chips ?? [],
    });
    // Every chip's text is its source span.
    for (const chip of result.chips) expect(text.slice(chip.start, chip.end)).toBe(chip.text);
  });

  it('labels chips for people', () => {
    const labels = (text: string, options = BERLIN) =>
      parseQuickAdd(text, options).chips.map((c) => c.label);
    expect(labels('Buy milk tomorrow 5pm #home !high +Work')).toEqual([
      'Tomorrow 5pm',
      '#home',
      'High',
      'Work',
    ]);
    expect(labels('Buy milk tomorrow 5pm', GB)).toEqual(['Tomorrow 17:00']);
    expect(labels('Gym every monday and thursday at 7:30am')).toEqual([
      'Every Monday and Thursday at 7:30am',
    ]);
    expect(labels('Gym every monday and thursday at 7:30am', DE)).toEqual([
      'Every Monday and Thursday at 07:30',
    ]);
    expect(labels('every last friday')).toEqual(['Every month on the last Friday']);
    expect(labels('every dec 25', GB)).toEqual(['Every year on 25 December']);
    expect(labels('every 3 days after done, 4 times')).toEqual([
      'Every 3 days after completion, 4 times',
    ]);
    expect(labels('every day until dec 31')).toEqual(['Every day, until Dec 31, 2026']);
    expect(labels('every week starting tomorrow')).toEqual(['Every week, starting tomorrow']);
    expect(labels('Essay +Homework')).toEqual(['Homework']);
    expect(labels('Stretch at 9am')).toEqual(['Tomorrow 9am']);
    expect(labels('Gym at 17:30', GB)).toEqual(['Today 17:30']);
    expect(labels('Renew passport dec 5')).toEqual(['Saturday']);
    expect(labels('Dentist dec 17')).toEqual(['Dec 17']);
    expect(labels('Dentist dec 17', GB)).toEqual(['17 Dec']);
    expect(labels('Bake cookies Nov 28')).toEqual(['Nov 28, 2027']);
    expect(labels('tomorrow buy milk at 5pm')).toEqual(['Tomorrow', '5pm']);
  });

  it('gives the chip values the UI needs', () => {
    const { chips } = parseQuickAdd(
      'Standup every weekday at 9am starting dec 9 #work +Garden',
      BERLIN,
    );
    expect(chips).toEqual([
      {
        kind: 'recurrence',
        text: 'every weekday at 9am starting dec 9',
        start: 8,
        end: 43,
        label: 'Every weekday at 9am, starting Dec 9',
        value: {
          rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR',
          from: 'due',
          time: '09:00',
          startDate: '2026-12-09',
        },
      },
      { kind: 'tag', text: '#work', start: 44, end: 49, label: '#work', value: 'work' },
      {
        kind: 'project',
        text: '+Garden',
        start: 50,
        end: 57,
        label: 'Garden',
        value: { unresolved: 'Garden' },
      },
    ]);
  });
});

describe('dismissed chips', () => {
  it('keeps a dismissed chip in the title and does not read it again', () => {
    const first = parseQuickAdd('Meeting tomorrow #work', BERLIN);
    const date = first.chips.find((c) => c.kind === 'date');
    expect(date).toMatchObject({ start: 8, end: 16 });
    const again = parseQuickAdd('Meeting tomorrow #work', BERLIN, { ignored: [date!] });
    expect(again.title).toBe('Meeting tomorrow');
    expect(again.due_date).toBeUndefined();
    expect(again.tags).toEqual(['work']);
    expect(again.chips.map((c) => c.kind)).toEqual(['tag']);
  });

  it('lets a later date be read once the first one is dismissed', () => {
    const result = parseQuickAdd('Call Anna tomorrow about friday', BERLIN, {
      ignored: [{ start: 10, end: 18 }],
    });
    expect(result.title).toBe('Call Anna tomorrow about');
    expect(result.due_date).toBe('2026-12-04');
  });

  it('keeps a dismissed tag, project or recurrence as text', () => {
    const text = 'Write weekly notes every monday #draft +Work';
    const first = parseQuickAdd(text, BERLIN);
    const result = parseQuickAdd(text, BERLIN, { ignored: first.chips });
    expect(result.title).toBe(text);
    expect(result.chips).toEqual([]);
    expect(toCreateBody(result)).toEqual({ title: text });
  });

  it('carries dismissed spans over typing after, before and inside them', () => {
    const typed = 'Meeting tomorrow';
    const ignored = [{ start: 8, end: 16 }];
    // Typing after it: the span stays, and a new time is read.
    const later = `${typed} 5pm`;
    const afterEdit = rebaseIgnored(ignored, typed, later);
    expect(afterEdit).toEqual([{ start: 8, end: 16 }]);
    const result = parseQuickAdd(later, BERLIN, { ignored: afterEdit });
    expect(result.title).toBe('Meeting tomorrow');
    expect(result.due_date).toBe('2026-11-29');
    expect(result.due_time).toBe('17:00');
    // Typing before it: the span moves.
    const earlier = `Team ${typed}`;
    expect(rebaseIgnored(ignored, typed, earlier)).toEqual([{ start: 13, end: 21 }]);
    expect(
      parseQuickAdd(earlier, BERLIN, { ignored: rebaseIgnored(ignored, typed, earlier) }).due_date,
    ).toBeUndefined();
    // Editing inside it: the words changed, so they are read afresh.
    expect(rebaseIgnored(ignored, typed, 'Meeting tomorow')).toEqual([]);
    // Deleting text before it: the span moves back.
    expect(rebaseIgnored(ignored, typed, 'Meet tomorrow')).toEqual([{ start: 5, end: 13 }]);
  });

  it('drops a dismissed span when letters are typed against it', () => {
    expect(rebaseIgnored([{ start: 5, end: 8 }], 'Pack fri', 'Pack friday')).toEqual([]);
    expect(rebaseIgnored([{ start: 5, end: 8 }], 'Pack fri', 'Pack fri,')).toEqual([
      { start: 5, end: 8 },
    ]);
    expect(rebaseIgnored([{ start: 0, end: 3 }], 'fri pack', 'xfri pack')).toEqual([]);
    expect(rebaseIgnored([{ start: 0, end: 3 }], 'fri pack', ' fri pack')).toEqual([
      { start: 1, end: 4 },
    ]);
  });
});

describe('suggestProjects', () => {
  it('offers projects for a +name being typed, prefix matches first', () => {
    expect(suggestProjects('Tiles +Ho', 9, PROJECTS)).toEqual({
      start: 6,
      end: 9,
      query: 'Ho',
      projects: [
        { id: 'home', name: 'Home' },
        { id: 'reno', name: 'Home renovation' },
      ],
    });
    expect(suggestProjects('Tiles +home re', 14, PROJECTS)?.projects).toEqual([
      { id: 'reno', name: 'Home renovation' },
    ]);
    expect(suggestProjects('Plan +pro', 9, PROJECTS)?.projects).toEqual([
      { id: 'side', name: 'Side Project' },
    ]);
    expect(suggestProjects('Plan +', 6, PROJECTS)?.projects.map((p) => p.id)).toEqual([
      'home',
      'reno',
      'side',
      'work',
    ]);
  });

  it('offers nothing outside a +name', () => {
    expect(suggestProjects('Plan trip', 9, PROJECTS)).toBeNull();
    expect(suggestProjects('Call +49', 8, PROJECTS)).toEqual({
      start: 5,
      end: 8,
      query: '49',
      projects: [],
    });
    expect(suggestProjects('Tiles +Home and more', 20, PROJECTS)).toBeNull();
    expect(suggestProjects('a+b', 3, PROJECTS)).toBeNull();
    expect(suggestProjects('+Work #tag', 10, PROJECTS)).toBeNull();
  });

  it('limits the list', () => {
    expect(suggestProjects('+', 1, PROJECTS, 2)?.projects).toHaveLength(2);
  });
});

describe('toCreateBody', () => {
  it('builds the create body from what the text gave', () => {
    const result = parseQuickAdd('Standup every weekday at 9am #work !high +Work', BERLIN);
    expect(toCreateBody(result)).toEqual({
      title: 'Standup',
      tags: ['work'],
      priority: 'high',
      due_date: '2026-11-30',
      due_time: '09:00',
      project_id: 'work',
      recurrence: { rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', from: 'due' },
    });
  });

  it('sends only the title when nothing else was recognised', () => {
    expect(toCreateBody(parseQuickAdd('Call May about the report', BERLIN))).toEqual({
      title: 'Call May about the report',
    });
  });

  it('leaves an unresolved project for the UI to resolve', () => {
    const result = parseQuickAdd('Buy seeds +Garden tomorrow', BERLIN);
    expect(result.project).toEqual({ unresolved: 'Garden' });
    expect(toCreateBody(result)).toEqual({ title: 'Buy seeds', due_date: '2026-11-30' });
  });

  it('counts from completion when asked', () => {
    expect(
      toCreateBody(parseQuickAdd('Water cactus every 3 days after done', BERLIN)).recurrence,
    ).toEqual({
      rrule: 'FREQ=DAILY;INTERVAL=3',
      from: 'completion',
    });
  });
});
