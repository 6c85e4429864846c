import { eventMatches, familiesOf, isEventPattern } from './event-patterns.js';

describe('webhook event patterns', () => {
  it.each(['*', 'task.*', 'project.*', 'view.*', 'task.created', 'project.deleted'])('accepts %s', (pattern) => {
    expect(isEventPattern(pattern)).toBe(true);
  });
  it.each(['task', 'task.', 'task.**', 'tasks.*', 'task.renamed', '*.created', 'webhook.test', ' task.created', 'TASK.CREATED'])(
    'refuses %s',
    (pattern) => {
      expect(isEventPattern(pattern)).toBe(false);
    },
  );
  it('matches exact names, family wildcards and *', () => {
    expect(eventMatches(['task.created'], 'task.created')).toBe(true);
    expect(eventMatches(['task.created'], 'task.updated')).toBe(false);
    expect(eventMatches(['task.*'], 'task.deleted')).toBe(true);
    expect(eventMatches(['task.*'], 'project.created')).toBe(false);
    expect(eventMatches(['project.*'], 'project.updated')).toBe(true);
    expect(eventMatches(['*'], 'view.created')).toBe(true);
    expect(eventMatches(['task.*'], 'taskx.created')).toBe(false);
  });
  it('names the families a subscription reaches', () => {
    expect(familiesOf(['task.created', 'project.*'])).toEqual(['task', 'project']);
    expect(familiesOf(['*'])).toEqual(['task', 'project', 'view']);
  });
});
