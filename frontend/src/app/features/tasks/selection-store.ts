import { Injectable, computed, signal } from '@angular/core';

/**
 * Which tasks of a list are selected for a bulk action. Selection mode is on while anything
 * is selected (or the user turned it on), and then a row's checkbox selects instead of
 * completing. `order` is the list as shown, for shift-click ranges.
 */
@Injectable()
export class SelectionStore {
  private readonly state = signal<{ ids: ReadonlySet<string>; anchor: string | null; mode: boolean }>({
    ids: new Set(),
    anchor: null,
    mode: false,
  });

  readonly ids = computed(() => this.state().ids);
  readonly count = computed(() => this.state().ids.size);
  readonly active = computed(() => this.state().mode || this.state().ids.size > 0);

  isSelected(id: string): boolean {
    return this.state().ids.has(id);
  }

  setMode(on: boolean): void {
    this.state.update((s) => (on ? { ...s, mode: true } : { ids: new Set(), anchor: null, mode: false }));
  }

  toggle(id: string): void {
    this.state.update((s) => {
      const ids = new Set(s.ids);
      if (ids.has(id)) ids.delete(id);
      else ids.add(id);
      return { ...s, ids, anchor: id };
    });
  }

  /** Shift-click: everything between the last row toggled and this one joins the selection. */
  extendTo(id: string, order: readonly string[]): void {
    this.state.update((s) => {
      const from = s.anchor === null ? -1 : order.indexOf(s.anchor);
      const to = order.indexOf(id);
      if (to < 0) return s;
      const ids = new Set(s.ids);
      const [a, b] = from < 0 ? [to, to] : [Math.min(from, to), Math.max(from, to)];
      for (let i = a; i <= b; i++) ids.add(order[i]);
      return { ...s, ids, anchor: id };
    });
  }

  selectAll(order: readonly string[]): void {
    this.state.update((s) => ({ ...s, ids: new Set(order), mode: true }));
  }

  clear(): void {
    this.state.set({ ids: new Set(), anchor: null, mode: false });
  }

  /** Drops ids no longer shown (completed elsewhere, deleted), keeping the rest. */
  retain(order: readonly string[]): void {
    const shown = new Set(order);
    this.state.update((s) => {
      if ([...s.ids].every((id) => shown.has(id))) return s;
      return { ...s, ids: new Set([...s.ids].filter((id) => shown.has(id))) };
    });
  }
}
