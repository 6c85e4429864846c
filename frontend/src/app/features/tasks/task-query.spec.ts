import { convertToParamMap } from '@angular/router';
import {
  EMPTY_QUERY,
  PAGE_SIZE,
  hasFilters,
  parseTaskListQuery,
  toListParams,
  toQueryParams,
} from './task-query';

describe('task list query', () => {
  it('reads filters, sort and page from the URL', () => {
    const query = parseTaskListQuery(
      convertToParamMap({
        status: 'done,todo',
        priority: 'high',
        tag: ['work', 'home', 'work'],
        q: ' milk ',
        sort: '-due_date',
        page: '3',
      }),
    );
    expect(query).toEqual({
      status: ['todo', 'done'],
      priority: ['high'],
      tags: ['work', 'home'],
      q: 'milk',
      sort: '-due_date',
      page: 3,
    });
  });

  it('ignores values it does not know instead of sending them to the API', () => {
    const query = parseTaskListQuery(
      convertToParamMap({ status: 'todo,bogus', priority: 'urgent', sort: 'color', page: '-2' }),
    );
    expect(query).toEqual({ ...EMPTY_QUERY, status: ['todo'] });
  });

  it('writes a short URL: defaults are left out', () => {
    expect(toQueryParams(EMPTY_QUERY)).toEqual({
      status: null,
      priority: null,
      tag: null,
      q: null,
      sort: null,
      page: null,
    });
    expect(
      toQueryParams({ ...EMPTY_QUERY, status: ['todo', 'in-progress'], tags: ['a'], page: 2 }),
    ).toEqual({
      status: 'todo,in-progress',
      priority: null,
      tag: ['a'],
      q: null,
      sort: null,
      page: 2,
    });
  });

  it('survives a round trip through the URL', () => {
    const query = {
      status: ['in-progress' as const],
      priority: ['high' as const, 'low' as const],
      tags: ['x y'],
      q: '50%',
      sort: 'title' as const,
      page: 2,
    };
    const params = Object.fromEntries(
      Object.entries(toQueryParams(query)).filter(([, v]) => v !== null),
    );
    expect(parseTaskListQuery(convertToParamMap(params))).toEqual(query);
  });

  it('turns the page into limit and offset', () => {
    expect(toListParams({ ...EMPTY_QUERY, page: 3 })).toMatchObject({
      limit: PAGE_SIZE,
      offset: 2 * PAGE_SIZE,
    });
  });

  it('knows when a filter is on', () => {
    expect(hasFilters(EMPTY_QUERY)).toBe(false);
    expect(hasFilters({ ...EMPTY_QUERY, sort: 'title', page: 2 })).toBe(false);
    expect(hasFilters({ ...EMPTY_QUERY, q: 'x' })).toBe(true);
  });
});
