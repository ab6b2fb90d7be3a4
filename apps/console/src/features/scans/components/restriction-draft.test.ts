import { describe, expect, it } from 'vitest';
import { pullRestriction } from '@berth/api';
import { serverRestrictionErrors, toRestrictionDraft, validateRestriction, type RestrictionDraft } from './restriction-draft';

const draft = (over: Partial<RestrictionDraft> = {}): RestrictionDraft => ({ ...toRestrictionDraft(null), enabled: true, ...over });

describe('toRestrictionDraft', () => {
  it('starts a limit that is off at 1, and shows a set one as it is', () => {
    expect(toRestrictionDraft(null)).toEqual({
      enabled: false,
      refuseUnscanned: false,
      critical: { on: false, value: '1' },
      high: { on: false, value: '1' },
      ignoreWithoutFix: false,
    });
    const d = toRestrictionDraft({ enabled: true, refuseUnscanned: true, criticalLimit: 3, highLimit: null, ignoreWithoutFix: true });
    expect(d.critical).toEqual({ on: true, value: '3' });
    expect(d.high).toEqual({ on: false, value: '1' });
  });
});

describe('validateRestriction', () => {
  it('turns the form into the restriction it describes; a limit that is off is null whatever its text', () => {
    expect(validateRestriction(draft({ critical: { on: true, value: ' 1 ' }, high: { on: false, value: 'junk' }, ignoreWithoutFix: true }))).toEqual({
      restriction: { enabled: true, refuseUnscanned: false, criticalLimit: 1, highLimit: null, ignoreWithoutFix: true },
    });
    expect(validateRestriction(draft({ high: { on: true, value: '9,999,999' } })).restriction?.highLimit).toBe(9_999_999);
  });

  it('names each limit that is out of bounds or not a whole number', () => {
    expect(validateRestriction(draft({ critical: { on: true, value: '0' }, high: { on: true, value: '1.5' } })).errors).toEqual({
      criticalLimit: { key: 'limit' },
      highLimit: { key: 'limit' },
    });
    expect(validateRestriction(draft({ critical: { on: true, value: '' } })).errors).toEqual({ criticalLimit: { key: 'limit' } });
    expect(validateRestriction(draft({ high: { on: true, value: '10000000' } })).errors).toEqual({ highLimit: { key: 'limit' } });
  });

  it('accepts and refuses exactly what the API schema does', () => {
    for (const value of ['1', '2', '9999999', '10000000', '0', '-1', '3.0', '1e3', '007']) {
      const ours = validateRestriction(draft({ critical: { on: true, value } }));
      const asSent = { enabled: true, refuseUnscanned: false, criticalLimit: Number(value), highLimit: null, ignoreWithoutFix: false };
      const schemaOk = /^\d+$/.test(value) && pullRestriction.safeParse(asSent).success;
      expect(ours.restriction !== undefined, value).toBe(schemaOk);
    }
  });
});

describe('serverRestrictionErrors', () => {
  it('puts the server’s limit messages under their fields in the form’s words, and nothing else', () => {
    expect(serverRestrictionErrors({ criticalLimit: 'between 1 and 9,999,999', enabled: 'Expected boolean' })).toEqual({ criticalLimit: { key: 'limit' } });
  });
});
