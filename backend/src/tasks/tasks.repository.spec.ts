import { escapeLike } from './tasks.repository.js';
import { linkHeader } from './tasks.controller.js';

describe('escapeLike', () => {
  it('makes %, _ and backslash literal', () => {
    expect(escapeLike('50%_a\\b')).toBe('50\\%\\_a\\\\b');
  });
});

describe('linkHeader', () => {
  it('links next and prev pages, keeping the other parameters', () => {
    expect(linkHeader('/api/tasks?status=todo&offset=10&limit=10', { items: [], total: 35, limit: 10, offset: 10 })).toBe(
      '</api/tasks?status=todo&offset=20&limit=10>; rel="next", </api/tasks?status=todo&offset=0&limit=10>; rel="prev"',
    );
  });

  it('has no next link on the last page and no prev link on the first', () => {
    expect(linkHeader('/api/tasks?limit=10&offset=30', { items: [], total: 35, limit: 10, offset: 30 })).toBe(
      '</api/tasks?limit=10&offset=20>; rel="prev"',
    );
    expect(linkHeader('/api/tasks', { items: [], total: 35, limit: 50, offset: 0 })).toBeUndefined();
  });

  it('points prev at the last real page when the offset is past the end', () => {
    expect(linkHeader('/api/tasks?offset=500&limit=10', { items: [], total: 35, limit: 10, offset: 500 })).toBe(
      '</api/tasks?offset=25&limit=10>; rel="prev"',
    );
  });
});
