import { describe, expect, it } from 'vitest';
import { contentRangeStart, uploadOffset } from './upload-range.ts';

/** A Location as distribution 2.8 spells it: `_state` is 32 bytes of HMAC, then the session's JSON, base64url. */
const distributionLocation = (offset: number) => {
  const json = JSON.stringify({ Name: 'team/app', UUID: 'u-1', Offset: offset, StartedAt: '2026-01-01T00:00:00Z' });
  const state = Buffer.concat([Buffer.alloc(32, 7), Buffer.from(json)]).toString('base64url');
  return `/v2/team/app/blobs/uploads/u-1?_state=${encodeURIComponent(`${state}==`)}`;
};

describe('chunk ranges', () => {
  it.each([
    ['0-9', 0],
    ['bytes 10-19', 10],
    ['bytes=10-19', 10],
    ['20-29/100', 20],
    ['20-29/*', 20],
    [' 5-5 ', 5],
  ])('reads the start of %s', (header, start) => {
    expect(contentRangeStart(header)).toBe(start);
  });

  it.each(['', '10', '10-', '-10', 'a-b', '9-3', 'bytes 1-2-3'])('refuses the Content-Range %j', (header) => {
    expect(contentRangeStart(header)).toBeNull();
  });

  it('tells the session offset from the registry’s Range', () => {
    expect(uploadOffset('0-99', undefined)).toBe(100);
    expect(uploadOffset('bytes=0-1', undefined)).toBe(2);
    expect(uploadOffset(undefined, undefined)).toBeNull();
    expect(uploadOffset('5-9', undefined)).toBeNull();
  });

  it('tells an empty session from a one-byte one, both `0-0`, by distribution’s upload state', () => {
    expect(uploadOffset('0-0', distributionLocation(0))).toBe(0);
    expect(uploadOffset('0-0', distributionLocation(1))).toBe(1);
    // Without the state (another registry) it cannot tell.
    expect(uploadOffset('0-0', '/v2/team/app/blobs/uploads/u-1')).toBeNull();
    expect(uploadOffset('0-0', '/v2/team/app/blobs/uploads/u-1?_state=not-a-state')).toBeNull();
  });
});
