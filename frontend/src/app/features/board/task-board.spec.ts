import { CdkDropList } from '@angular/cdk/drag-drop';
import { Component, signal } from '@angular/core';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { By } from '@angular/platform-browser';
import axe from 'axe-core';
import type { Task, TaskStatus } from '../../core/api-models';
import { byRole } from '../../../testing/dom';
import { makeTask } from '../../../testing/factories';
import { ANNOUNCE_DELAY_MS, BOARD_PAGE_SIZE, TaskBoard } from './task-board';

@Component({
  imports: [TaskBoard],
  template: `<app-task-board
    [tasks]="tasks()"
    [projectNames]="projects()"
    timeZone="Europe/Berlin"
    (statusChange)="onStatusChange($event)"
    (open)="opened.push($event)"
  />`,
})
class Host {
  readonly tasks = signal<readonly Task[]>([]);
  readonly projects = signal<ReadonlyMap<string, string>>(new Map());
  readonly changes: { task: Task; status: TaskStatus }[] = [];
  readonly opened: Task[] = [];
  /** What the page does: apply the move at once, or wait for the API. */
  optimistic = true;

  onStatusChange(change: { task: Task; status: TaskStatus }): void {
    this.changes.push(change);
    if (this.optimistic) this.apply(change.task.id, change.status);
  }

  apply(id: string, status: TaskStatus): void {
    this.tasks.update((list) => list.map((t) => (t.id === id ? { ...t, status } : t)));
  }
}

const rent = makeTask({ id: 'rent', title: 'Pay rent', status: 'todo', position: 1 });
const report = makeTask({ id: 'report', title: 'Write report', status: 'in-progress' });
const shipped = makeTask({ id: 'ship', title: 'Ship it', status: 'done' });

async function setup(tasks: readonly Task[] = [rent, report, shipped]) {
  const fixture = TestBed.createComponent(Host);
  fixture.componentInstance.tasks.set(tasks);
  await fixture.whenStable();
  const el = fixture.nativeElement as HTMLElement;
  document.body.appendChild(el); // focus needs a connected element
  const announced = listen(el);
  return { fixture, host: fixture.componentInstance, el, announced };
}

function column(el: HTMLElement, name: string): HTMLElement {
  const heading = Array.from(el.querySelectorAll('h2')).find((h) =>
    h.textContent!.trim().startsWith(name),
  );
  if (!heading) throw new Error(`No column ${name}`);
  return el.querySelector<HTMLElement>(`ul[aria-labelledby="${heading.id}"]`)!;
}

function titles(list: HTMLElement): string[] {
  return Array.from(list.querySelectorAll('[data-card-open]')).map((b) => b.textContent!.trim());
}

function card(el: HTMLElement, title: string): HTMLButtonElement {
  return byRole(el, 'button[data-card-open]', title) as HTMLButtonElement;
}

function press(target: HTMLElement, key: string, init: KeyboardEventInit = {}): KeyboardEvent {
  const event = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...init });
  target.dispatchEvent(event);
  return event;
}

/** The text a screen reader gets: without what is aria-hidden. */
function spoken(element: Element): string {
  const copy = element.cloneNode(true) as Element;
  copy.querySelectorAll('[aria-hidden="true"]').forEach((e) => e.remove());
  return copy.textContent!.replace(/\s+/g, ' ').trim();
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

describe('TaskBoard', () => {
  afterEach(() => vi.useRealTimers());

  it('has a labelled list per status, cards in position then title order', async () => {
    const { el } = await setup([
      makeTask({ id: '1', title: 'Second', position: 20 }),
      makeTask({ id: '2', title: 'First', position: 10 }),
      makeTask({ id: '3', title: 'Also first', position: 10 }),
      report,
      shipped,
    ]);
    const headings = Array.from(el.querySelectorAll('h2')).map((h) =>
      h.textContent!.replace(/\s+/g, ' ').trim(),
    );
    expect(headings).toEqual(['To do (3 tasks)', 'In progress (1 task)', 'Done (1 task)']);
    expect(titles(column(el, 'To do'))).toEqual(['Also first', 'First', 'Second']);
    expect(titles(column(el, 'In progress'))).toEqual(['Write report']);
    expect(column(el, 'Done').getAttribute('role')).toBe('list');
  });

  it('shows due date, overdue in the user’s zone, priority, tags, project, repeat and subtasks', async () => {
    // 23:30 UTC on December 3 is already December 4 in Berlin.
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-12-03T23:30:00Z') });
    const { fixture, host, el } = await setup([
      makeTask({
        id: 'late',
        title: 'Pay rent',
        due_date: '2026-12-03',
        due_time: '09:00',
        priority: 'high',
        tags: ['home', 'money'],
        project_id: 'p1',
        recurrence: { rrule: 'FREQ=MONTHLY', from: 'due' },
        subtask_count: 5,
        subtask_done_count: 2,
      }),
      makeTask({ id: 'today', title: 'Call mum', due_date: '2026-12-04' }),
      makeTask({ id: 'old', title: 'Old but done', due_date: '2026-11-01', status: 'done' }),
    ]);
    host.projects.set(new Map([['p1', 'Household']]));
    await fixture.whenStable();

    const meta = (title: string) => {
      const button = card(el, title);
      const id = button.getAttribute('aria-describedby')!.split(' ')[0];
      return document.getElementById(id)!;
    };
    const late = meta('Pay rent');
    expect(Array.from(late.children).map(spoken)).toEqual([
      'Overdue, due Yesterday, 9am',
      'Repeats',
      'High priority',
      '2 of 5 subtasks done',
      'Project Household',
      '#home',
      '#money',
    ]);
    expect(late.querySelector('.text-red-700')).not.toBeNull();
    expect(meta('Call mum').textContent).toContain('Due Today');
    expect(meta('Call mum').querySelector('.text-red-700')).toBeNull();
    expect(meta('Old but done').textContent).not.toContain('Overdue');
    expect(card(el, 'Old but done').className).toContain('line-through');
  });

  it('opens a task from its card', async () => {
    const { host, el } = await setup();
    card(el, 'Write report').click();
    expect(host.opened.map((t) => t.id)).toEqual(['report']);
  });

  it('moves a card with Alt+arrows, announces it and keeps the focus on it', async () => {
    const { fixture, host, el, announced } = await setup();
    card(el, 'Pay rent').focus();
    const event = press(card(el, 'Pay rent'), 'ArrowRight', { altKey: true });
    expect(event.defaultPrevented).toBe(true); // not the browser's Forward
    await settle(fixture);

    expect(host.changes.map((c) => `${c.task.id} → ${c.status}`)).toEqual(['rent → in-progress']);
    expect(titles(column(el, 'In progress'))).toEqual(['Pay rent', 'Write report']);
    await heard();
    expect(announced).toEqual(['Moved “Pay rent” to In progress.']);
    expect(document.activeElement).toBe(card(el, 'Pay rent'));

    press(card(el, 'Pay rent'), 'ArrowRight', { altKey: true });
    await settle(fixture);
    expect(titles(column(el, 'Done'))).toContain('Pay rent');
    expect(document.activeElement).toBe(card(el, 'Pay rent'));

    press(card(el, 'Pay rent'), 'ArrowLeft', { altKey: true });
    await settle(fixture);
    press(card(el, 'Pay rent'), 'ArrowLeft', { altKey: true });
    await settle(fixture);
    expect(host.changes.map((c) => c.status)).toEqual([
      'in-progress',
      'done',
      'in-progress',
      'todo',
    ]);
    expect(titles(column(el, 'To do'))).toEqual(['Pay rent']);
    await heard();
    expect(announced.at(-1)).toBe('Moved “Pay rent” to To do.');
    expect(document.activeElement).toBe(card(el, 'Pay rent'));
  });

  it('speaks in a polite live region that is there before its first message', async () => {
    const { fixture, el, announced } = await setup();
    const region = el.querySelector('[role="status"]')!;
    expect(region.textContent!.trim()).toBe('');
    // The same words twice are heard twice: the region is emptied in between.
    for (const key of ['ArrowRight', 'ArrowLeft', 'ArrowRight']) {
      press(card(el, 'Pay rent'), key, { altKey: true });
      await settle(fixture);
      await heard();
    }
    expect(announced).toEqual([
      'Moved “Pay rent” to In progress.',
      'Moved “Pay rent” to To do.',
      'Moved “Pay rent” to In progress.',
    ]);
  });

  it('does nothing past the first and last column, or without Alt', async () => {
    const { host, el, announced } = await setup();
    press(card(el, 'Pay rent'), 'ArrowLeft', { altKey: true });
    press(card(el, 'Ship it'), 'ArrowRight', { altKey: true });
    const plain = press(card(el, 'Pay rent'), 'ArrowRight');
    expect(plain.defaultPrevented).toBe(false);
    expect(host.changes).toEqual([]);
    await heard();
    expect(announced).toEqual([]);
  });

  it('shows the card where `tasks` says: back in place when the page reverts, moved when it applies', async () => {
    const { fixture, host, el } = await setup();
    host.optimistic = false;
    card(el, 'Pay rent').focus();
    press(card(el, 'Pay rent'), 'ArrowRight', { altKey: true });
    await settle(fixture);
    expect(host.changes).toHaveLength(1);
    expect(titles(column(el, 'To do'))).toEqual(['Pay rent']);
    expect(document.activeElement).toBe(card(el, 'Pay rent'));

    // The API answered: the page applies the move, and the focus follows the card.
    host.apply('rent', 'in-progress');
    await settle(fixture);
    expect(titles(column(el, 'In progress'))).toContain('Pay rent');
    expect(document.activeElement).toBe(card(el, 'Pay rent'));
  });

  it('never takes the focus back from where the user went meanwhile', async () => {
    const { fixture, host, el } = await setup();
    host.optimistic = false;
    card(el, 'Pay rent').focus();
    press(card(el, 'Pay rent'), 'ArrowRight', { altKey: true });
    card(el, 'Ship it').focus();
    host.apply('rent', 'in-progress');
    await settle(fixture);
    expect(document.activeElement).toBe(card(el, 'Ship it'));
  });

  it('offers "Move to…" with the other columns; Escape closes it', async () => {
    const { fixture, host, el, announced } = await setup();
    const toggle = el.querySelector<HTMLButtonElement>('[data-menu-toggle="rent"]')!;
    expect(toggle.getAttribute('aria-label')).toBe('Move “Pay rent” to…');
    expect(toggle.getAttribute('aria-expanded')).toBe('false');

    toggle.click();
    await fixture.whenStable();
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    const menu = document.getElementById(toggle.getAttribute('aria-controls')!)!;
    expect(menu.getAttribute('role')).toBe('group');
    const options = Array.from(menu.querySelectorAll('button')).map((b) => b.textContent!.trim());
    expect(options).toEqual(['In progress', 'Done']);

    press(byRole(menu, 'button', 'Done'), 'Escape');
    await fixture.whenStable();
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(document.activeElement).toBe(toggle);

    toggle.click();
    await fixture.whenStable();
    const again = document.getElementById(toggle.getAttribute('aria-controls')!)!;
    byRole(again, 'button', 'Done').click();
    await settle(fixture);
    expect(host.changes.map((c) => c.status)).toEqual(['done']);
    expect(titles(column(el, 'Done'))).toContain('Pay rent');
    await heard();
    expect(announced).toEqual(['Moved “Pay rent” to Done.']);
    expect(document.activeElement).toBe(card(el, 'Pay rent'));
  });

  it('reports a card dropped on another column, and ignores a drop on its own', async () => {
    const { fixture, host, el, announced } = await setup();
    const lists = fixture.debugElement.queryAll(By.directive(CdkDropList));
    const [todo, inProgress] = lists.map((d) => d.injector.get(CdkDropList));
    const item = { data: rent } as never;
    lists[1].triggerEventHandler('cdkDropListDropped', {
      item,
      container: inProgress,
      previousContainer: todo,
    });
    lists[0].triggerEventHandler('cdkDropListDropped', {
      item,
      container: todo,
      previousContainer: todo,
    });
    await settle(fixture);
    expect(host.changes.map((c) => `${c.task.id} → ${c.status}`)).toEqual(['rent → in-progress']);
    await heard();
    expect(announced).toEqual(['Moved “Pay rent” to In progress.']);
    expect(titles(column(el, 'In progress'))).toContain('Pay rent');
  });

  it('drags a card to another column with the mouse', async () => {
    const { fixture, host, el } = await setup();
    const columns = ['To do', 'In progress', 'Done'].map((name) => column(el, name));
    // jsdom has no layout: give each column a place on screen, 300 px wide.
    columns.forEach((list, i) => {
      const rect = new DOMRect(i * 300, 0, 280, 600);
      vi.spyOn(list, 'getBoundingClientRect').mockReturnValue(rect);
    });
    const source = card(el, 'Pay rent').closest('li')!;
    vi.spyOn(source, 'getBoundingClientRect').mockReturnValue(new DOMRect(10, 10, 260, 60));
    document.elementFromPoint = (x: number) => columns[Math.floor(x / 300)] ?? null;

    const mouse = (type: string, target: EventTarget, x: number, y: number) =>
      target.dispatchEvent(
        new MouseEvent(type, {
          bubbles: true,
          cancelable: true,
          clientX: x,
          clientY: y,
          button: 0,
          buttons: type === 'mouseup' ? 0 : 1,
          detail: 1, // CDK takes a mousedown without it for a screen reader's
        }),
      );
    mouse('mousedown', card(el, 'Pay rent'), 50, 30);
    mouse('mousemove', document, 60, 35);
    mouse('mousemove', document, 350, 40);
    mouse('mousemove', document, 360, 40);
    mouse('mouseup', document, 360, 40);
    await settle(fixture);

    expect(host.changes.map((c) => `${c.task.id} → ${c.status}`)).toEqual(['rent → in-progress']);
    expect(titles(column(el, 'In progress'))).toContain('Pay rent');
  });

  it('keeps 2,000 tasks usable: a page of cards per column, then "Show more"', async () => {
    const many = Array.from({ length: 2000 }, (_, i) =>
      makeTask({
        id: `t${i}`,
        title: `Task ${i}`,
        status: i < 1500 ? 'done' : i < 1900 ? 'todo' : 'in-progress',
        position: i,
      }),
    );
    const { fixture, host, el } = await setup(many);
    expect(el.querySelectorAll('[data-card-open]')).toHaveLength(3 * BOARD_PAGE_SIZE);

    const done = column(el, 'Done').closest('section')!;
    const more = Array.from(done.querySelectorAll('button')).find(
      (b) => b.textContent!.replace(/\s+/g, ' ').trim() === 'Show 50 more in Done (1450 hidden)',
    )!;
    more.click();
    await settle(fixture);
    expect(titles(column(el, 'Done'))).toHaveLength(2 * BOARD_PAGE_SIZE);
    // The first card of the new page takes the focus.
    expect(document.activeElement).toBe(card(el, `Task ${BOARD_PAGE_SIZE}`));

    // A card moved into a column where it sorts past the page is shown and focused there.
    card(el, 'Task 1900').focus();
    press(card(el, 'Task 1900'), 'ArrowLeft', { altKey: true });
    await settle(fixture);
    expect(host.changes.map((c) => c.status)).toEqual(['todo']);
    expect(titles(column(el, 'To do')).at(-1)).toBe('Task 1900');
    expect(document.activeElement).toBe(card(el, 'Task 1900'));
  });

  it('has nothing axe finds wrong, with a menu open', async () => {
    const { fixture, el } = await setup([
      makeTask({
        id: 'a',
        title: 'Pay rent',
        due_date: '2026-12-03',
        priority: 'high',
        tags: ['home'],
        recurrence: { rrule: 'FREQ=MONTHLY', from: 'due' },
        subtask_count: 2,
      }),
      report,
    ]);
    el.querySelector<HTMLButtonElement>('[data-menu-toggle="a"]')!.click();
    await fixture.whenStable();
    const results = await axe.run(el, {
      // jsdom lays nothing out: contrast is checked in a browser (e2e), and page-level rules
      // (landmarks, a main heading) belong to the page that hosts the board.
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
