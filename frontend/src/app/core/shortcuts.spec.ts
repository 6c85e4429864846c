import { TestBed } from '@angular/core/testing';
import { SEQUENCE_MS, Shortcuts, isTypingTarget, keyName } from './shortcuts';

function press(key: string, target: EventTarget = document.body, init: KeyboardEventInit = {}) {
  const event = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...init });
  target.dispatchEvent(event);
  return event;
}

describe('Shortcuts', () => {
  let shortcuts: Shortcuts;
  const ran: string[] = [];
  let unregister: () => void;

  beforeEach(() => {
    ran.length = 0;
    shortcuts = TestBed.inject(Shortcuts);
    unregister = shortcuts.register([
      { keys: 'q', description: 'Quick add', run: () => ran.push('q') },
      { keys: '?', description: 'Help', run: () => ran.push('?') },
      { keys: 'g t', description: 'Today', run: () => ran.push('g t') },
      { keys: 'Alt+ArrowUp', description: 'Move up', run: () => ran.push('up') },
    ]);
  });
  afterEach(() => {
    unregister();
    document.body.innerHTML = '';
  });

  it('runs a shortcut and keeps the key from the page', () => {
    const event = press('q');
    expect(ran).toEqual(['q']);
    expect(event.defaultPrevented).toBe(true);
    press('?', document.body, { shiftKey: true });
    expect(ran).toEqual(['q', '?']);
  });

  it('never fires while typing in a field', () => {
    for (const html of ['<input type="text">', '<textarea></textarea>', '<select></select>', '<div contenteditable="true"></div>', '<input type="search">']) {
      document.body.innerHTML = html;
      const field = document.body.firstElementChild as HTMLElement;
      const event = press('q', field);
      expect(event.defaultPrevented).toBe(false);
    }
    expect(ran).toEqual([]);
  });

  it('fires from a checkbox or a button, which take no text', () => {
    document.body.innerHTML = '<input type="checkbox"><button>b</button>';
    press('q', document.body.children[0]);
    press('q', document.body.children[1]);
    expect(ran).toEqual(['q', 'q']);
  });

  it('leaves Ctrl and Meta combinations to the browser, and keys to an open dialog', () => {
    press('q', document.body, { ctrlKey: true });
    press('q', document.body, { metaKey: true });
    document.body.innerHTML = '<dialog open></dialog>';
    press('q');
    expect(ran).toEqual([]);
  });

  it('reads two-key sequences within a moment, and not after', () => {
    const now = Date.now();
    const g = () => new KeyboardEvent('keydown', { key: 'g' });
    const t = () => new KeyboardEvent('keydown', { key: 't', cancelable: true });
    shortcuts.handle(g(), now);
    expect(shortcuts.handle(t(), now + 300)).toBe(true);
    shortcuts.handle(g(), now);
    expect(shortcuts.handle(t(), now + SEQUENCE_MS + 1)).toBe(false);
    expect(ran).toEqual(['g t']);
  });

  it('names keys with their modifiers', () => {
    expect(keyName(new KeyboardEvent('keydown', { key: 'ArrowUp', altKey: true }))).toBe('Alt+ArrowUp');
    expect(keyName(new KeyboardEvent('keydown', { key: ' ' }))).toBe('Space');
    expect(keyName(new KeyboardEvent('keydown', { key: '#', shiftKey: true }))).toBe('#');
    press('ArrowUp', document.body, { altKey: true });
    expect(ran).toEqual(['up']);
  });

  it('lets a later layer take a key over until it is removed, and lists each key once', () => {
    const off = shortcuts.register([{ keys: 'q', description: 'Other', run: () => ran.push('other') }]);
    press('q');
    expect(shortcuts.all().filter((s) => s.keys === 'q').map((s) => s.description)).toEqual(['Other']);
    off();
    press('q');
    expect(ran).toEqual(['other', 'q']);
  });

  it('respects a shortcut’s condition', () => {
    const off = shortcuts.register([{ keys: 'Enter', description: 'Open', run: () => ran.push('enter'), when: (e) => e.target === document.body }]);
    document.body.innerHTML = '<button>b</button>';
    press('Enter', document.body.firstElementChild!);
    press('Enter');
    expect(ran).toEqual(['enter']);
    off();
  });

  it('knows which targets take text', () => {
    const input = document.createElement('input');
    expect(isTypingTarget(input)).toBe(true);
    input.type = 'radio';
    expect(isTypingTarget(input)).toBe(false);
    expect(isTypingTarget(null)).toBe(false);
  });
});
