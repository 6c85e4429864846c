import { DOCUMENT, DestroyRef, Injectable, inject } from '@angular/core';

/** A second key must follow a prefix (`g`) within this long. */
export const SEQUENCE_MS = 1_200;

export interface Shortcut {
  /** 'q', '/', '?', 'Enter', 'Delete', 'g t' (a sequence), 'Alt+ArrowUp', 'Shift+Tab'. */
  keys: string;
  /** What the help sheet says. */
  description: string;
  run: (event: KeyboardEvent) => void;
  /** Fires only when this says so (Enter and Space belong to a focused button or link). */
  when?: (event: KeyboardEvent) => boolean;
}

/** Typing here is text, never a command. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target.closest('[contenteditable]:not([contenteditable="false"])')) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag !== 'INPUT') return false;
  const type = (target as HTMLInputElement).type;
  return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color'].includes(type);
}

/**
 * How a key press is written in `Shortcut.keys`: a printable key by what it types ('q', '?',
 * '#'), with 'Alt+' when Alt is held; other keys by name with their modifiers ('Alt+ArrowUp',
 * 'Shift+Tab', 'Space').
 */
export function keyName(event: KeyboardEvent): string {
  if (event.key === ' ') return 'Space';
  if (event.key.length === 1) return event.altKey ? `Alt+${event.key}` : event.key;
  const mods = [event.altKey && 'Alt', event.shiftKey && 'Shift'].filter(Boolean);
  return [...mods, event.key].join('+');
}

/**
 * The app's keyboard shortcuts, in layers: a page registers its own while it is shown, and
 * the last registered wins for a key. Never while typing in a field, never with Ctrl or Meta
 * (the browser's), and never when a dialog is open (its own keys rule there).
 */
@Injectable({ providedIn: 'root' })
export class Shortcuts {
  private readonly layers: Shortcut[][] = [];
  private prefix: { key: string; at: number } | null = null;
  private readonly document = inject(DOCUMENT);

  constructor() {
    const listener = (event: KeyboardEvent) => this.handle(event);
    this.document.addEventListener('keydown', listener);
    inject(DestroyRef).onDestroy(() => this.document.removeEventListener('keydown', listener));
  }

  /** Adds shortcuts until the returned function is called (a component's onDestroy). */
  register(shortcuts: Shortcut[]): () => void {
    this.layers.push(shortcuts);
    return () => {
      const index = this.layers.indexOf(shortcuts);
      if (index >= 0) this.layers.splice(index, 1);
    };
  }

  /** Everything a person can press now, for the help sheet (later layers first). */
  all(): Shortcut[] {
    const seen = new Set<string>();
    const out: Shortcut[] = [];
    for (const layer of [...this.layers].reverse()) {
      for (const s of layer) {
        if (!seen.has(s.keys)) {
          seen.add(s.keys);
          out.push(s);
        }
      }
    }
    return out;
  }

  handle(event: KeyboardEvent, now = Date.now()): boolean {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.isComposing) return false;
    if (isTypingTarget(event.target)) return false;
    if (this.document.querySelector('dialog[open]')) return false;
    const name = keyName(event);
    if (name === 'Shift' || name === 'Alt') return false;
    const prefix = this.prefix && now - this.prefix.at <= SEQUENCE_MS ? this.prefix.key : null;
    this.prefix = null;
    const candidates = this.all();
    if (prefix) {
      const sequence = candidates.find((s) => s.keys === `${prefix} ${name}` && (!s.when || s.when(event)));
      if (sequence) {
        event.preventDefault();
        sequence.run(event);
        return true;
      }
    }
    if (candidates.some((s) => s.keys.startsWith(`${name} `))) {
      this.prefix = { key: name, at: now };
      return false;
    }
    const match = candidates.find((s) => s.keys === name && (!s.when || s.when(event)));
    if (!match) return false;
    event.preventDefault();
    match.run(event);
    return true;
  }
}
