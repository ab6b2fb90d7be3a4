import { describe, expect, it } from 'vitest';
import { OciError } from '@berth/oci';
import { pageOf, pageQuery } from './v2-paging.ts';

const q = (s: string) => pageQuery(new URLSearchParams(s));

describe('tags/list paging', () => {
  it('reads n and last, and lists everything without n', () => {
    expect(q('')).toEqual({ n: null, last: undefined });
    expect(q('n=2&last=v1')).toEqual({ n: 2, last: 'v1' });
    expect(q('n=0')).toEqual({ n: 0, last: undefined });
    expect(q('last=')).toEqual({ n: null, last: undefined });
  });

  it.each(['n=-1', 'n=abc', 'n=1.5', 'n=', 'n=99999999999999999999'])('refuses %s with a 400', (s) => {
    let thrown: unknown;
    try {
      q(s);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(OciError);
    expect((thrown as OciError).status).toBe(400);
  });

  it('links to the next page while more names follow, starting after the last one shown', () => {
    const path = '/v2/team/app/tags/list';
    expect(pageOf(['a', 'b', 'c'], { n: 2, last: undefined }, path)).toEqual({ items: ['a', 'b'], link: '</v2/team/app/tags/list?n=2&last=b>; rel="next"' });
    expect(pageOf(['c'], { n: 2, last: 'b' }, path)).toEqual({ items: ['c'], link: null });
    expect(pageOf(['a', 'b'], { n: 2, last: undefined }, path)).toEqual({ items: ['a', 'b'], link: null });
    expect(pageOf(['a', 'b', 'c'], { n: null, last: undefined }, path)).toEqual({ items: ['a', 'b', 'c'], link: null });
  });

  it('answers n=0 with no names and no link', () => {
    expect(pageOf(['a'], { n: 0, last: undefined }, '/v2/team/app/tags/list')).toEqual({ items: [], link: null });
  });

  it('encodes the last name in the link', () => {
    expect(pageOf(['a.b_c-1', 'z'], { n: 1, last: undefined }, '/v2/t/a/tags/list').link).toBe('</v2/t/a/tags/list?n=1&last=a.b_c-1>; rel="next"');
  });
});
