import { describe, expect, it } from 'vitest';
import { formatBytes, formatExactUtc, formatRelativeTime, shortDigest } from './format';

describe('formatBytes', () => {
  it('prints bytes as they are and larger sizes in SI units, like the docker CLI', () => {
    expect(formatBytes(0, 'en')).toBe('0 B');
    expect(formatBytes(999, 'en')).toBe('999 B');
    expect(formatBytes(302_080, 'en')).toBe('302 kB');
    expect(formatBytes(1_234_567, 'en')).toBe('1.23 MB');
    expect(formatBytes(5_400_000_000, 'en')).toBe('5.4 GB');
  });

  it('never shows 1,000 of a unit: rounding moves to the next one', () => {
    expect(formatBytes(999_999, 'en')).toBe('1 MB');
  });

  it('follows the UI language for separators', () => {
    expect(formatBytes(1_234_567, 'vi')).toBe('1,23 MB');
    expect(formatBytes(1234, 'vi')).toBe('1,23 kB');
  });
});

describe('formatRelativeTime', () => {
  const now = Date.parse('2026-11-23T12:00:00Z');
  it('says how long ago, in the largest whole unit', () => {
    expect(formatRelativeTime('2026-11-23T11:57:00Z', 'en', now)).toBe('3 minutes ago');
    expect(formatRelativeTime('2026-11-21T12:00:00Z', 'en', now)).toBe('2 days ago');
    expect(formatRelativeTime('2026-11-23T11:59:58Z', 'en', now)).toBe('now');
    expect(formatRelativeTime('2026-12-07T12:00:00Z', 'en', now)).toBe('in 2 weeks');
  });
  it('speaks Vietnamese', () => {
    expect(formatRelativeTime('2026-11-23T11:57:00Z', 'vi', now)).toBe('3 phút trước');
  });
  it('returns what it cannot parse unchanged', () => {
    expect(formatRelativeTime('not a date', 'en', now)).toBe('not a date');
  });
});

describe('formatExactUtc', () => {
  it('is the same in every language, to the second, in UTC', () => {
    expect(formatExactUtc('2026-11-23T20:57:00.123+07:00')).toBe('2026-11-23 13:57:00 UTC');
  });
});

describe('shortDigest', () => {
  it('keeps the algorithm and the first 12 hex digits', () => {
    expect(shortDigest('sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef')).toBe('sha256:0123456789ab');
  });
});
