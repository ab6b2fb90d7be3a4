import { describe, expect, it } from 'vitest';
import { policyReason } from '@berth/api';
import { i18next } from '@/lib/i18n';
import { reasonText } from './policy-reasons';

const en = i18next.getFixedT('en');
const vi = i18next.getFixedT('vi');
const digest = `sha256:${'ab'.repeat(32)}`;

describe('reasonText', () => {
  it('says every reason in words, in both languages, never as its code', () => {
    for (const reason of policyReason.options) {
      for (const t of [en, vi]) {
        const text = reasonText(t, { reason, detail: reason.includes('deleted') || reason.includes('ref') ? digest : '3' });
        expect(text, reason).not.toBe(reason);
        if (reason.includes('-')) expect(text, reason).not.toContain(reason);
        expect(text, reason).not.toMatch(/policyTest\./);
        expect(text.length, reason).toBeGreaterThan(3);
      }
    }
  });

  it('puts the detail in: days, the digest shortened, the tag, the pattern, the rank', () => {
    expect(reasonText(en, { reason: 'older-than', detail: '30 days' })).toBe('Older than 30 days');
    expect(reasonText(en, { reason: 'child-of-deleted', detail: digest })).toBe('In index sha256:abababababab, which is deleted');
    expect(reasonText(en, { reason: 'shares-digest', detail: 'stable' })).toBe('Same digest as kept tag stable');
    expect(reasonText(en, { reason: 'tag-locked', tag: '1.0' })).toBe('Tag 1.0 is locked');
    expect(reasonText(en, { reason: 'keep-pattern', detail: 'release-*' })).toBe('Tag matches release-*');
    expect(reasonText(en, { reason: 'newest', detail: '2 of 5' })).toBe('One of the newest (2 of 5)');
    expect(reasonText(vi, { reason: 'newest', detail: '2 of 5' })).toBe('Một trong số mới nhất (2 trên 5)');
  });

  it('takes a missing number from the policy', () => {
    expect(reasonText(en, { reason: 'pulled-recently' }, { keepPulledWithinDays: 14 })).toBe('Pulled in the last 14 days');
    expect(reasonText(en, { reason: 'pulled-recently' })).toBe('Pulled recently');
    expect(reasonText(en, { reason: 'older-than' }, { olderThanDays: 90 })).toBe('Older than 90 days');
  });
});
