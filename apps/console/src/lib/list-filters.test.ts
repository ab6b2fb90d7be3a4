import { describe, expect, it } from 'vitest';
import { parseListFilters } from './list-filters';

const defaults = { sort: 'name' as const, order: 'asc' as const, q: '' };
const sorts = ['name', 'pushedAt'] as const;

describe('parseListFilters', () => {
  it('reads a known sort, an order and the trimmed filter from the URL', () => {
    expect(parseListFilters(new URLSearchParams('sort=pushedAt&order=desc&q=%20rc%20'), sorts, defaults)).toEqual({ sort: 'pushedAt', order: 'desc', q: 'rc' });
  });
  it('falls back to the defaults for what it does not know (a sort of another list)', () => {
    expect(parseListFilters(new URLSearchParams('sort=size&order=up'), sorts, defaults)).toEqual(defaults);
  });
});
