import { SelectionStore } from './selection-store';

describe('SelectionStore', () => {
  const order = ['a', 'b', 'c', 'd', 'e'];

  it('toggles rows, and selecting turns selection mode on', () => {
    const s = new SelectionStore();
    expect(s.active()).toBe(false);
    s.toggle('b');
    s.toggle('d');
    expect([...s.ids()]).toEqual(['b', 'd']);
    expect(s.active()).toBe(true);
    s.toggle('b');
    expect([...s.ids()]).toEqual(['d']);
  });

  it('shift-click selects the range from the last row toggled, either way', () => {
    const s = new SelectionStore();
    s.toggle('b');
    s.extendTo('d', order);
    expect([...s.ids()].sort()).toEqual(['b', 'c', 'd']);
    s.toggle('e');
    s.extendTo('c', order);
    expect([...s.ids()].sort()).toEqual(['b', 'c', 'd', 'e']);
  });

  it('a range with nothing toggled yet is the one row', () => {
    const s = new SelectionStore();
    s.extendTo('c', order);
    expect([...s.ids()]).toEqual(['c']);
  });

  it('selects all in the view, and clearing leaves selection mode', () => {
    const s = new SelectionStore();
    s.selectAll(order);
    expect(s.count()).toBe(5);
    s.clear();
    expect(s.count()).toBe(0);
    expect(s.active()).toBe(false);
  });

  it('mode can be on with nothing selected, so the row checkboxes show', () => {
    const s = new SelectionStore();
    s.setMode(true);
    expect(s.active()).toBe(true);
    s.setMode(false);
    expect(s.active()).toBe(false);
  });

  it('drops rows that left the view and keeps the rest', () => {
    const s = new SelectionStore();
    s.selectAll(order);
    s.retain(['a', 'c']);
    expect([...s.ids()]).toEqual(['a', 'c']);
  });
});
