import { describe, expect, it } from 'vitest';
import { effectiveRestriction, pullVerdict, type PulledScan, type PullRestrictionRule } from './pull-restriction.ts';

const rule = (r: Partial<PullRestrictionRule> = {}): PullRestrictionRule => ({ enabled: true, refuseUnscanned: true, criticalLimit: 1, highLimit: null, ignoreWithoutFix: false, ...r });
const scan = (s: Partial<PulledScan> = {}): PulledScan => ({ status: 'done', hasResults: true, error: null, counts: { critical: 0, high: 0 }, fixable: { critical: 0, high: 0 }, ...s });

describe('pull restriction', () => {
  it('lets everything through when there is no restriction or it is disabled', () => {
    expect(pullVerdict(null, null)).toBeNull();
    expect(pullVerdict(rule({ enabled: false }), null)).toBeNull();
    expect(pullVerdict(rule({ enabled: false }), scan({ counts: { critical: 9, high: 9 } }))).toBeNull();
  });

  it.each([
    ['never scanned', null, 'has not been scanned'],
    ['waiting', scan({ status: 'queued', hasResults: false }), 'has not run yet'],
    ['running', scan({ status: 'scanning', hasResults: false }), 'has not finished'],
    ['failed', scan({ status: 'failed', hasResults: false, error: 'registry down' }), 'its scan failed'],
    ['unreadable', scan({ status: 'unsupported', hasResults: false, error: 'application/vnd.cncf.helm.config.v1+json is not a container image' }), 'the scanner cannot read it (application/vnd.cncf.helm.config.v1+json is not a container image)'],
  ])('refuses an artifact that is %s when unscanned ones are refused, saying so', (_what, s, words) => {
    const refusal = pullVerdict(rule(), s, 'team/app');
    expect(refusal).toMatchObject({ rule: 'unscanned' });
    expect(refusal!.message).toContain(words);
    expect(refusal!.message).toContain('team/app');
    expect(pullVerdict(rule({ refuseUnscanned: false }), s)).toBeNull();
  });

  it('keeps deciding by the last results while a rescan waits, runs or fails', () => {
    for (const status of ['queued', 'scanning', 'failed'] as const) {
      expect(pullVerdict(rule(), scan({ status, counts: { critical: 0, high: 4 } }))).toBeNull();
      expect(pullVerdict(rule(), scan({ status, counts: { critical: 1, high: 0 } }))).toMatchObject({ rule: 'critical' });
    }
  });

  it('refuses at the limit, not below it, naming the rule and the counts', () => {
    expect(pullVerdict(rule({ criticalLimit: 3 }), scan({ counts: { critical: 2, high: 50 } }))).toBeNull();
    expect(pullVerdict(rule({ criticalLimit: 3 }), scan({ counts: { critical: 3, high: 0 } }))).toEqual({
      rule: 'critical',
      counts: { critical: 3, high: 0 },
      message: 'pull restricted: this artifact has 3 Critical vulnerabilities; the limit is 3',
    });
    expect(pullVerdict(rule({ criticalLimit: null, highLimit: 5 }), scan({ counts: { critical: 40, high: 4 } }))).toBeNull();
    expect(pullVerdict(rule({ criticalLimit: null, highLimit: 5 }), scan({ counts: { critical: 0, high: 5 } }))).toMatchObject({ rule: 'high', counts: { critical: 0, high: 5 } });
    expect(pullVerdict(rule({ criticalLimit: 9_999_999, highLimit: null }), scan({ counts: { critical: 9_999_998, high: 0 } }))).toBeNull();
  });

  it('counts only vulnerabilities with a fix when told to ignore the rest', () => {
    const s = scan({ counts: { critical: 4, high: 7 }, fixable: { critical: 0, high: 2 } });
    expect(pullVerdict(rule({ ignoreWithoutFix: true }), s)).toBeNull();
    expect(pullVerdict(rule({ ignoreWithoutFix: false }), s)).toMatchObject({ rule: 'critical' });
    expect(pullVerdict(rule({ ignoreWithoutFix: true, criticalLimit: null, highLimit: 2 }), s)!.message).toBe(
      'pull restricted: this artifact has 2 High vulnerabilities with a fix; the limit is 2',
    );
  });

  it('takes the image restriction over the repository default', () => {
    const own = rule({ criticalLimit: 5 });
    const inherited = rule({ criticalLimit: 1 });
    expect(effectiveRestriction(own, inherited)).toBe(own);
    expect(effectiveRestriction(null, inherited)).toBe(inherited);
    expect(effectiveRestriction(null, null)).toBeNull();
  });
});
