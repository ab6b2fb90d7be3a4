import { describe, expect, it } from 'vitest';
import { deletionPolicy } from '@berth/api';
import { parsePatterns, serverPolicyErrors, toDraft, validateDraft, type PolicyDraft } from './policy-form';

const draft = (over: Partial<PolicyDraft> = {}): PolicyDraft => ({ ...toDraft(null), enabled: true, ...over });

describe('parsePatterns', () => {
  it('splits on commas and line breaks, trims, and drops empty parts and repeats', () => {
    expect(parsePatterns('release-*, v?.*\nlatest\r\n, ,latest,')).toEqual(['release-*', 'v?.*', 'latest']);
    expect(parsePatterns('  ')).toEqual([]);
  });
});

describe('validateDraft', () => {
  it('turns the form into the policy it describes; empty numbers are rules that are off', () => {
    expect(validateDraft(draft({ untagged: true, olderThanDays: ' 30 ', keepTagPatterns: 'release-*' }))).toEqual({
      policy: { enabled: true, untagged: true, olderThanDays: 30, keepNewest: null, keepPulledWithinDays: null, keepTagPatterns: ['release-*'] },
    });
  });

  it('names each field that is out of bounds or not a whole number', () => {
    expect(validateDraft(draft({ olderThanDays: '0', keepNewest: '10001', keepPulledWithinDays: '1.5' })).errors).toEqual({
      olderThanDays: { key: 'days' },
      keepNewest: { key: 'newest' },
      keepPulledWithinDays: { key: 'days' },
    });
    expect(validateDraft(draft({ keepTagPatterns: 'ok-*, not ok' })).errors).toEqual({ keepTagPatterns: { key: 'pattern', pattern: 'not ok' } });
    expect(validateDraft(draft({ keepTagPatterns: Array.from({ length: 21 }, (_, i) => `p${i}`).join(',') })).errors).toEqual({
      keepTagPatterns: { key: 'patterns' },
    });
  });

  it('accepts and refuses exactly what the API schema does', () => {
    const cases: Partial<PolicyDraft>[] = [
      { olderThanDays: '1' },
      { olderThanDays: '3650' },
      { olderThanDays: '3651' },
      { olderThanDays: '0' },
      { keepNewest: '10000' },
      { keepNewest: '10001' },
      { keepPulledWithinDays: '3650' },
      { keepPulledWithinDays: '3651' },
      { keepTagPatterns: 'a'.repeat(128) },
      { keepTagPatterns: 'a'.repeat(129) },
      { keepTagPatterns: 'v1.*-rc?' },
      { keepTagPatterns: 'v1/*' },
      { keepTagPatterns: Array.from({ length: 20 }, (_, i) => `p${i}`).join(',') },
    ];
    for (const c of cases) {
      const d = draft(c);
      const ours = validateDraft(d);
      const asSent = {
        enabled: true,
        untagged: false,
        olderThanDays: d.olderThanDays ? Number(d.olderThanDays) : null,
        keepNewest: d.keepNewest ? Number(d.keepNewest) : null,
        keepPulledWithinDays: d.keepPulledWithinDays ? Number(d.keepPulledWithinDays) : null,
        keepTagPatterns: parsePatterns(d.keepTagPatterns),
      };
      expect(ours.policy !== undefined, JSON.stringify(c)).toBe(deletionPolicy.safeParse(asSent).success);
    }
  });
});

describe('serverPolicyErrors', () => {
  it('gives the server’s field issues the form’s words, naming the pattern that was sent', () => {
    const sent = { enabled: true, untagged: false, olderThanDays: 0, keepNewest: null, keepPulledWithinDays: null, keepTagPatterns: ['ok', 'no way'] };
    const fields = { olderThanDays: 'between 1 and 3650 days', 'keepTagPatterns.1': 'use letters…', other: 'x' };
    expect(serverPolicyErrors(fields, sent)).toEqual({ olderThanDays: { key: 'days' }, keepTagPatterns: { key: 'pattern', pattern: 'no way' } });
    expect(serverPolicyErrors({ 'keepTagPatterns.7': 'bad' }, sent)).toEqual({ keepTagPatterns: { text: 'bad' } });
  });
});
