import { CdkDropList } from '@angular/cdk/drag-drop';
import { Component, signal } from '@angular/core';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { By } from '@angular/platform-browser';
import axe from 'axe-core';
import type { Task } from '../../core/api-models';
import { byLabel } from '../../../testing/dom';
import { makeTask } from '../../../testing/factories';
import { ANNOUNCE_DELAY_MS, TaskCalendar } from './task-calendar';

@Component({
  imports: [TaskCalendar],
  template: `<app-task-calendar
    [tasks]="tasks()"
    [timeZone]="timeZone()"
    [(month)]="month"
    [weekStart]="weekStart()"
    locale="en-US"
    (rangeChange)="ranges.push($event.from + '..' + $event.to)"
    (reschedule)="onReschedule($event)"
    (open)="opened.push($event.id)"
  />`,
})
class Host {
  readonly tasks = signal<readonly Task[]>([]);
  readonly timeZone = signal('Europe/Berlin');
  readonly month = signal<string | undefined>(undefined);
  readonly weekStart = signal<0 | 1>(1);
  readonly ranges: string[] = [];
  readonly moves: string[] = [];
  readonly opened: string[] = [];

  onReschedule({ task, due_date }: { task: Task; due_date: string }): void {
    this.moves.push(`${task.id} → ${due_date}`);
    this.tasks.update((list) => list.map((t) => (t.id === task.id ? { ...t, due_date } : t)));
  }
}

// Thursday, December 3, 2026, 11:00 in Berlin.
const NOW = new Date('2026-12-03T10:00:00Z');

const rent = makeTask({ id: 'rent', title: 'Pay rent', due_date: '2026-12-03', due_time: '09:00' });
const gym = makeTask({
  id: 'gym',
  title: 'Gym',
  due_date: '2026-12-01',
  recurrence: { rrule: 'FREQ=WEEKLY', from: 'due' },
});
const filed = makeTask({
  id: 'filed',
  title: 'File taxes',
  due_date: '2026-12-03',
  status: 'done',
});

async function setup(tasks: readonly Task[] = [rent, gym, filed], init?: (host: Host) => void) {
  vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'], now: NOW });
  const fixture = TestBed.createComponent(Host);
  fixture.componentInstance.tasks.set(tasks);
  init?.(fixture.componentInstance);
  await fixture.whenStable();
  const el = fixture.nativeElement as HTMLElement;
  document.body.appendChild(el); // focus needs a connected element
  const announced = listen(el);
  return { fixture, host: fixture.componentInstance, el, announced };
}

/** What a day's name begins with (its content follows: the chips). */
const dayLabel = (day: Element) => day.querySelector('.sr-only')!.textContent!.trim();

const cell = (el: HTMLElement, date: string) =>
  el.querySelector<HTMLElement>(`[role="gridcell"][data-date="${date}"]`)!;

function chip(el: HTMLElement, id: string, surface = 'grid', projected = false): HTMLElement {
  const found = Array.from(el.querySelectorAll<HTMLElement>(`[data-surface="${surface}"]`)).find(
    (e) => e.dataset['chip'] === id && e.dataset['projected'] === String(projected),
  );
  if (!found) throw new Error(`No ${surface} chip for ${id}`);
  return found;
}

function chipsOn(el: HTMLElement, date: string): string[] {
  return Array.from(cell(el, date).querySelectorAll<HTMLElement>('[data-chip]')).map(
    (c) => `${c.dataset['chip']}${c.dataset['projected'] === 'true' ? ' (projected)' : ''}`,
  );
}

function press(target: HTMLElement, key: string, init: KeyboardEventInit = {}): KeyboardEvent {
  const event = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...init });
  target.dispatchEvent(event);
  return event;
}

function buttonNamed(root: HTMLElement, name: string): HTMLButtonElement {
  const found = Array.from(root.querySelectorAll('button')).find(
    (b) => (b.getAttribute('aria-label') ?? b.textContent!.replace(/\s+/g, ' ').trim()) === name,
  );
  if (!found) throw new Error(`No button "${name}"`);
  return found;
}

/** Everything the component's live regions say, in order, as a screen reader would hear it. */
function listen(el: HTMLElement): string[] {
  const heard: string[] = [];
  let last = '';
  new MutationObserver(() => {
    const now =
      Array.from(el.querySelectorAll('[role="status"]'))
        .map((region) => region.textContent!.trim())
        .find((text) => text !== '') ?? '';
    if (now && now !== last) heard.push(now);
    last = now;
  }).observe(el, { subtree: true, childList: true, characterData: true });
  return heard;
}

/** Messages are said a moment after the region is cleared. */
const heard = () => new Promise((r) => setTimeout(r, ANNOUNCE_DELAY_MS + 50));

async function settle(fixture: ComponentFixture<unknown>) {
  await fixture.whenStable();
  await new Promise((r) => setTimeout(r, 0));
  await fixture.whenStable();
}

describe('TaskCalendar', () => {
  afterEach(() => vi.useRealTimers());

  it('draws the current month in the user’s zone: six weeks from Monday, today marked', async () => {
    const { el } = await setup();
    expect(el.querySelector('h2')!.textContent!.trim()).toBe('December 2026');
    const grid = el.querySelector('[role="grid"]')!;
    expect(grid.getAttribute('aria-labelledby')).toBe(el.querySelector('h2')!.id);
    const rows = grid.querySelectorAll('[role="row"]');
    expect(rows).toHaveLength(7);
    const headers = Array.from(rows[0].querySelectorAll('[role="columnheader"]'));
    expect(headers.map((h) => h.textContent!.trim())).toEqual([
      'Mon',
      'Tue',
      'Wed',
      'Thu',
      'Fri',
      'Sat',
      'Sun',
    ]);
    expect(headers[0].getAttribute('aria-label')).toBe('Monday');
    const cells = Array.from(grid.querySelectorAll<HTMLElement>('[role="gridcell"]'));
    expect(cells).toHaveLength(42);
    expect(cells[0].dataset['date']).toBe('2026-11-30');
    expect(cells[41].dataset['date']).toBe('2027-01-10');

    const today = grid.querySelectorAll('[aria-current="date"]');
    expect(today).toHaveLength(1);
    expect(dayLabel(today[0])).toBe('Thursday, December 3, today, 2 tasks');
    expect(dayLabel(cell(el, '2026-12-01'))).toBe('Tuesday, December 1, 1 task');
    expect(dayLabel(cell(el, '2026-12-08'))).toBe('Tuesday, December 8, no tasks, 1 repeat');
    // Only today is in the tab order.
    expect(cells.filter((c) => c.tabIndex === 0)).toEqual([today[0]]);
  });

  it('starts the week on Sunday when asked', async () => {
    const { el } = await setup([], (host) => host.weekStart.set(0));
    const headers = Array.from(el.querySelectorAll('[role="columnheader"]'));
    expect(headers.map((h) => h.textContent!.trim())).toEqual([
      'Sun',
      'Mon',
      'Tue',
      'Wed',
      'Thu',
      'Fri',
      'Sat',
    ]);
    expect(el.querySelector<HTMLElement>('[role="gridcell"]')!.dataset['date']).toBe('2026-11-29');
  });

  it('moves "today" at midnight in the user’s zone, not the machine’s', async () => {
    vi.useFakeTimers({
      toFake: ['Date', 'setInterval', 'clearInterval'],
      now: new Date('2026-12-31T22:59:30Z'), // 23:59:30 in Berlin
    });
    const fixture = TestBed.createComponent(Host);
    await fixture.whenStable();
    const el = fixture.nativeElement as HTMLElement;
    expect(el.querySelector('h2')!.textContent!.trim()).toBe('December 2026');
    expect(el.querySelector('[aria-current="date"]')!.getAttribute('data-date')).toBe('2026-12-31');

    vi.advanceTimersByTime(60_000);
    await fixture.whenStable();
    // A new year in Berlin, while UTC is still in the old one: the grid follows the month.
    expect(el.querySelector('h2')!.textContent!.trim()).toBe('January 2027');
    expect(el.querySelector('[aria-current="date"]')!.getAttribute('data-date')).toBe('2027-01-01');
    expect(fixture.componentInstance.ranges.at(-1)).toBe('2026-12-28..2027-02-07');

    fixture.componentInstance.timeZone.set('America/New_York');
    await fixture.whenStable();
    expect(el.querySelector('[aria-current="date"]')!.getAttribute('data-date')).toBe('2026-12-31');
  });

  it('steps months with Previous, Next and Today, updating `month` and reporting the range', async () => {
    const { fixture, host, el } = await setup();
    expect(host.ranges).toEqual(['2026-11-30..2027-01-10']);

    buttonNamed(el, 'Next month').click();
    await fixture.whenStable();
    expect(host.month()).toBe('2027-01');
    expect(el.querySelector('h2')!.textContent!.trim()).toBe('January 2027');
    buttonNamed(el, 'Previous month').click();
    buttonNamed(el, 'Previous month').click();
    await fixture.whenStable();
    expect(host.month()).toBe('2026-11');
    buttonNamed(el, 'Today').click();
    await fixture.whenStable();
    expect(host.month()).toBe('2026-12');
    expect(host.ranges).toEqual([
      '2026-11-30..2027-01-10',
      '2026-12-28..2027-02-07',
      '2026-10-26..2026-12-06',
      '2026-11-30..2027-01-10',
    ]);

    host.month.set('2028-02'); // a leap February that begins on a Tuesday
    await fixture.whenStable();
    expect(host.ranges.at(-1)).toBe('2028-01-31..2028-03-12');
    expect(dayLabel(cell(el, '2028-02-29'))).toBe(
      'Tuesday, February 29, no tasks, 1 repeat', // Gym, every Tuesday
    );
  });

  it('shows tasks on their days with time, done struck through, and repeats projected', async () => {
    const { el } = await setup();
    expect(chipsOn(el, '2026-12-03')).toEqual(['rent', 'filed']);
    expect(chip(el, 'rent').textContent!.replace(/\s+/g, ' ').trim()).toBe('9am Pay rent');
    expect(chip(el, 'rent').getAttribute('aria-label')).toBe('9am Pay rent');
    expect(chip(el, 'filed').textContent!.trim()).toBe('File taxes');
    expect(chip(el, 'filed').getAttribute('aria-label')).toBe('File taxes, done');
    expect(chip(el, 'filed').querySelector('.line-through')).not.toBeNull();

    expect(chipsOn(el, '2026-12-01')).toEqual(['gym']);
    for (const date of ['2026-12-08', '2026-12-15', '2026-12-22', '2026-12-29', '2027-01-05']) {
      expect(chipsOn(el, date)).toEqual(['gym (projected)']);
    }
    const projected = chip(el, 'gym', 'grid', true);
    expect(projected.getAttribute('aria-label')).toBe('Gym, projected repeat');
    // Only the real one can be dragged.
    expect(projected.classList).toContain('cdk-drag-disabled');
    expect(chip(el, 'gym').classList).not.toContain('cdk-drag-disabled');
  });

  it('opens the real task from a chip, projected or not', async () => {
    const { host, el } = await setup();
    chip(el, 'rent').click();
    chip(el, 'gym', 'grid', true).click();
    expect(host.opened).toEqual(['rent', 'gym']);
  });

  it('moves a task a day with Alt+Left/Right and a week with Alt+Up/Down, keeping the focus', async () => {
    const { fixture, host, el, announced } = await setup();
    chip(el, 'rent').focus();
    const event = press(chip(el, 'rent'), 'ArrowRight', { altKey: true });
    expect(event.defaultPrevented).toBe(true);
    await settle(fixture);
    expect(host.moves).toEqual(['rent → 2026-12-04']);
    await heard();
    expect(announced).toEqual(['Moved “Pay rent” to Friday, December 4.']);
    expect(chipsOn(el, '2026-12-04')).toEqual(['rent']);
    expect(document.activeElement).toBe(chip(el, 'rent'));
    expect(cell(el, '2026-12-04').tabIndex).toBe(0);

    press(chip(el, 'rent'), 'ArrowDown', { altKey: true });
    await settle(fixture);
    press(chip(el, 'rent'), 'ArrowLeft', { altKey: true });
    await settle(fixture);
    press(chip(el, 'rent'), 'ArrowUp', { altKey: true });
    await settle(fixture);
    expect(host.moves).toEqual([
      'rent → 2026-12-04',
      'rent → 2026-12-11',
      'rent → 2026-12-10',
      'rent → 2026-12-03',
    ]);
    await heard();
    expect(announced.at(-1)).toBe('Moved “Pay rent” to Thursday, December 3.');
    expect(document.activeElement).toBe(chip(el, 'rent'));
  });

  it('follows a task moved past the grid into the next month', async () => {
    const late = makeTask({ id: 'late', title: 'Late', due_date: '2027-01-08' });
    const { fixture, host, el } = await setup([late]);
    chip(el, 'late').focus();
    press(chip(el, 'late'), 'ArrowDown', { altKey: true });
    await settle(fixture);
    expect(host.moves).toEqual(['late → 2027-01-15']);
    expect(host.month()).toBe('2027-01');
    expect(host.ranges.at(-1)).toBe('2026-12-28..2027-02-07');
    expect(document.activeElement).toBe(chip(el, 'late'));
  });

  it('does not move projected repeats', async () => {
    const { host, el, announced } = await setup();
    press(chip(el, 'gym', 'grid', true), 'ArrowRight', { altKey: true });
    expect(host.moves).toEqual([]);
    await heard();
    expect(announced).toEqual([]);
  });

  it('keeps a moved task visible on a full day, the rest behind "+N more"', async () => {
    const day = '2026-12-10';
    const others = ['a', 'b', 'c'].map((id) =>
      makeTask({ id, title: `Task ${id}`, due_date: day, due_time: '08:00' }),
    );
    const { fixture, el } = await setup([rent, ...others]);
    expect(chipsOn(el, day)).toEqual(['a', 'b', 'c']);

    chip(el, 'rent').focus();
    press(chip(el, 'rent'), 'ArrowDown', { altKey: true });
    await settle(fixture);
    expect(chipsOn(el, day)).toEqual(['a', 'rent']);
    expect(buttonNamed(cell(el, day), '+2 more on Thursday, December 10')).toBeTruthy();
    expect(document.activeElement).toBe(chip(el, 'rent'));
  });

  it('lists a full day in a dialog from "+N more", where tasks can be moved to a date', async () => {
    const day = '2026-12-10';
    const many = ['a', 'b', 'c', 'd'].map((id) =>
      makeTask({ id, title: `Task ${id}`, due_date: day }),
    );
    const { fixture, host, el, announced } = await setup(many);
    expect(chipsOn(el, day)).toEqual(['a', 'b']);
    buttonNamed(el, '+2 more on Thursday, December 10').click();
    await fixture.whenStable();
    const dialog = el.querySelector('dialog')!;
    expect(dialog.open).toBe(true);
    expect(dialog.querySelector('h3')!.textContent!.trim()).toBe('Thursday, December 10');
    const items = Array.from(dialog.querySelectorAll<HTMLElement>('[data-surface="dialog"]'));
    expect(items.map((i) => i.dataset['chip'])).toEqual(['a', 'b', 'c', 'd']);

    const toggle = buttonNamed(dialog, 'Move to date…: Task d');
    toggle.click();
    await fixture.whenStable();
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    const input = byLabel(dialog, 'New date');
    expect(input.value).toBe(day);
    input.value = '2026-12-24';
    buttonNamed(dialog, 'Move').click();
    await settle(fixture);
    expect(host.moves).toEqual(['d → 2026-12-24']);
    await heard();
    expect(announced).toEqual(['Moved “Task d” to Thursday, December 24.']);
    // The dialog follows the task to its new day, and so does the focus.
    expect(dialog.querySelector('h3')!.textContent!.trim()).toBe('Thursday, December 24');
    expect(document.activeElement).toBe(chip(el, 'd', 'dialog'));

    buttonNamed(dialog, 'Close').click();
    await fixture.whenStable();
    expect(dialog.open).toBe(false);
  });

  it('is a grid of days to walk with arrows, Home/End and Page Up/Down', async () => {
    const { fixture, host, el } = await setup();
    const focused = () => (document.activeElement as HTMLElement).dataset['date'];
    cell(el, '2026-12-03').focus();
    const key = async (name: string, init: KeyboardEventInit = {}) => {
      press(document.activeElement as HTMLElement, name, init);
      await settle(fixture);
    };
    await key('ArrowRight');
    expect(focused()).toBe('2026-12-04');
    await key('ArrowDown');
    expect(focused()).toBe('2026-12-11');
    await key('Home');
    expect(focused()).toBe('2026-12-07');
    await key('End');
    expect(focused()).toBe('2026-12-13');
    await key('ArrowUp');
    await key('ArrowLeft');
    expect(focused()).toBe('2026-12-05');
    expect(
      Array.from(el.querySelectorAll<HTMLElement>('[role="gridcell"]')).filter(
        (c) => c.tabIndex === 0,
      ),
    ).toEqual([cell(el, '2026-12-05')]);

    await key('PageDown');
    expect(host.month()).toBe('2027-01');
    expect(focused()).toBe('2027-01-05');
    await key('PageUp', { shiftKey: true });
    expect(host.month()).toBe('2026-01');
    expect(focused()).toBe('2026-01-05');
  });

  it('enters a day’s chips with Enter and leaves them with Escape', async () => {
    const { fixture, el } = await setup();
    cell(el, '2026-12-04').focus();
    // Enter straight after the arrow, before any render: the focus must already be there.
    press(cell(el, '2026-12-04'), 'ArrowLeft');
    press(document.activeElement as HTMLElement, 'Enter');
    await fixture.whenStable();
    expect(document.activeElement).toBe(chip(el, 'rent'));
    press(chip(el, 'rent'), 'Escape');
    expect(document.activeElement).toBe(cell(el, '2026-12-03'));
  });

  it('lists the chosen day under the grid for phones', async () => {
    const { fixture, el } = await setup();
    const agenda = () => el.querySelector('section')!;
    expect(agenda().querySelector('h3')!.textContent!.trim()).toBe('Thursday, December 3');
    expect(
      Array.from(agenda().querySelectorAll<HTMLElement>('[data-chip]')).map(
        (c) => c.dataset['chip'],
      ),
    ).toEqual(['rent', 'filed']);

    cell(el, '2026-12-08').click();
    await fixture.whenStable();
    expect(agenda().querySelector('h3')!.textContent!.trim()).toBe('Tuesday, December 8');
    const items = agenda().querySelectorAll<HTMLElement>('[data-chip]');
    expect(items).toHaveLength(1);
    expect(items[0].dataset['projected']).toBe('true');
    // A projected repeat cannot be moved.
    expect(agenda().textContent).not.toContain('Move to date');
  });

  it('reports a chip dropped on another day, and ignores a drop on its own', async () => {
    const { fixture, host, el, announced } = await setup();
    const lists = fixture.debugElement.queryAll(By.directive(CdkDropList));
    const byDate = (date: string) => {
      const debug = lists.find((d) => d.injector.get(CdkDropList).data === date)!;
      return { debug, list: debug.injector.get(CdkDropList) };
    };
    const from = byDate('2026-12-03');
    const to = byDate('2026-12-18');
    to.debug.triggerEventHandler('cdkDropListDropped', {
      item: { data: rent },
      container: to.list,
      previousContainer: from.list,
    });
    from.debug.triggerEventHandler('cdkDropListDropped', {
      item: { data: rent },
      container: from.list,
      previousContainer: from.list,
    });
    await settle(fixture);
    expect(host.moves).toEqual(['rent → 2026-12-18']);
    await heard();
    expect(announced).toEqual(['Moved “Pay rent” to Friday, December 18.']);
    expect(chipsOn(el, '2026-12-18')).toEqual(['rent']);
  });

  it('drags a chip to another day with the mouse', async () => {
    const { fixture, host, el } = await setup();
    // jsdom has no layout: lay the days out as a 7 × 6 grid of 100 px squares.
    const dropLists = Array.from(el.querySelectorAll<HTMLElement>('.cdk-drop-list'));
    dropLists.forEach((list, i) => {
      const rect = new DOMRect((i % 7) * 100, Math.floor(i / 7) * 100, 100, 100);
      vi.spyOn(list, 'getBoundingClientRect').mockReturnValue(rect);
    });
    vi.spyOn(chip(el, 'rent'), 'getBoundingClientRect').mockReturnValue(
      new DOMRect(305, 5, 90, 20),
    );
    document.elementFromPoint = (x: number, y: number) =>
      dropLists[Math.floor(y / 100) * 7 + Math.floor(x / 100)] ?? null;
    const mouse = (type: string, target: EventTarget, x: number, y: number) =>
      target.dispatchEvent(
        new MouseEvent(type, {
          bubbles: true,
          cancelable: true,
          clientX: x,
          clientY: y,
          button: 0,
          buttons: type === 'mouseup' ? 0 : 1,
          detail: 1,
        }),
      );
    // From Thursday of the first week (column 3) to Saturday of the second (column 5, row 1).
    mouse('mousedown', chip(el, 'rent'), 310, 10);
    mouse('mousemove', document, 320, 20);
    mouse('mousemove', document, 540, 150);
    mouse('mousemove', document, 550, 150);
    mouse('mouseup', document, 550, 150);
    await settle(fixture);
    expect(host.moves).toEqual(['rent → 2026-12-12']);
    expect(chipsOn(el, '2026-12-12')).toEqual(['rent']);
  });

  it('has nothing axe finds wrong, with the day dialog and a move form open', async () => {
    const day = '2026-12-10';
    const many = ['a', 'b', 'c', 'd'].map((id) =>
      makeTask({ id, title: `Task ${id}`, due_date: day }),
    );
    const { fixture, el } = await setup([rent, gym, filed, ...many]);
    buttonNamed(el, 'Move to date…: Pay rent').click();
    buttonNamed(el, '+2 more on Thursday, December 10').click();
    await fixture.whenStable();
    const results = await axe.run(el, {
      // jsdom lays nothing out: contrast is checked in a browser (e2e), and page-level rules
      // (landmarks, a main heading) belong to the page that hosts the calendar.
      rules: {
        'color-contrast': { enabled: false },
        region: { enabled: false },
        'page-has-heading-one': { enabled: false },
        'landmark-one-main': { enabled: false },
      },
    });
    expect(
      results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.html).join(' | ')}`),
    ).toEqual([]);
    // axe walks the whole tree in jsdom: seconds on a busy machine.
  }, 30_000);
});
