import { TestBed } from '@angular/core/testing';
import { byRole } from '../../../testing/dom';
import { makeTask } from '../../../testing/factories';
import { TaskConflict, describeValue } from './task-conflict';

describe('TaskConflict', () => {
  it('puts each differing field side by side, in words', async () => {
    const fixture = TestBed.createComponent(TaskConflict);
    fixture.componentRef.setInput(
      'theirs',
      makeTask({ title: 'Theirs', priority: 'high', tags: [], due_date: '2030-05-01' }),
    );
    fixture.componentRef.setInput('mine', { title: 'Mine', priority: null, tags: ['home'] });
    fixture.componentRef.setInput('theirOnly', ['due_date']);
    await fixture.whenStable();
    const el = fixture.nativeElement as HTMLElement;
    const text = (id: string) => el.querySelector(`[data-testid=${id}]`)?.textContent?.trim();
    expect(Array.from(el.querySelectorAll('dt'), (dt) => dt.textContent?.trim())).toEqual([
      'Title',
      'Priority',
      'Tags',
    ]);
    expect(text('theirs-title')).toBe('Theirs: Theirs');
    expect(text('mine-title')).toBe('Yours: Mine');
    expect(text('theirs-priority')).toBe('Theirs: High');
    expect(text('mine-priority')).toBe('Yours: None');
    expect(text('mine-tags')).toBe('Yours: home');
    expect(el.textContent).toContain('Their changes to due date are kept either way.');

    let kept = 0;
    fixture.componentInstance.keepMine.subscribe(() => kept++);
    byRole(el, 'button', 'Keep mine').click();
    expect(kept).toBe(1);
  });

  it('describes empty values the same way on both sides', () => {
    expect(describeValue('description', null)).toBe('None');
    expect(describeValue('description', '')).toBe('None');
    expect(describeValue('status', 'in-progress')).toBe('In progress');
    expect(describeValue('tags', ['a', 'b'])).toBe('a, b');
  });
});
