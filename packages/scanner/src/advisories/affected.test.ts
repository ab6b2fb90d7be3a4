import { describe, expect, it } from 'vitest';
import type { OsvAffected, OsvEvent } from '../types.ts';
import type { VersionScheme } from '../versions/index.ts';
import { affectedVersion } from './affected.ts';

const range = (events: OsvEvent[], type = 'ECOSYSTEM'): OsvAffected => ({ ranges: [{ type, events }] });

describe('affectedVersion', () => {
  // [what, affected entry, scheme, installed version, affected?, fixed]
  it.each<[string, OsvAffected, VersionScheme, string, boolean, string | null]>([
    ['from the start, before the fix', range([{ introduced: '0' }, { fixed: '1.2.3' }]), 'semver', '1.2.2', true, '1.2.3'],
    ['equal to the fix', range([{ introduced: '0' }, { fixed: '1.2.3' }]), 'semver', '1.2.3', false, null],
    ['after the fix', range([{ introduced: '0' }, { fixed: '1.2.3' }]), 'semver', '2.0.0', false, null],
    ['prerelease of the fix is still affected', range([{ introduced: '0' }, { fixed: '1.2.3' }]), 'semver', '1.2.3-rc.1', true, '1.2.3'],
    ['equal to introduced', range([{ introduced: '1.0.0' }, { fixed: '1.2.3' }]), 'semver', '1.0.0', true, '1.2.3'],
    ['before introduced', range([{ introduced: '1.0.0' }, { fixed: '1.2.3' }]), 'semver', '0.9.9', false, null],
    ['equal to last_affected', range([{ introduced: '0' }, { last_affected: '2.0.0' }]), 'semver', '2.0.0', true, null],
    ['after last_affected', range([{ introduced: '0' }, { last_affected: '2.0.0' }]), 'semver', '2.0.1', false, null],
    ['open range', range([{ introduced: '3.0.0' }]), 'semver', '9.9.9', true, null],
    // Two introduced/fixed pairs in one range, given out of order.
    ['second pair, unsorted events', range([{ fixed: '2.5.0' }, { introduced: '2.0.0' }, { fixed: '1.5.0' }, { introduced: '1.0.0' }]), 'semver', '2.1.0', true, '2.5.0'],
    ['first pair, unsorted events', range([{ fixed: '2.5.0' }, { introduced: '2.0.0' }, { fixed: '1.5.0' }, { introduced: '1.0.0' }]), 'semver', '1.4.9', true, '1.5.0'],
    ['between the pairs', range([{ fixed: '2.5.0' }, { introduced: '2.0.0' }, { fixed: '1.5.0' }, { introduced: '1.0.0' }]), 'semver', '1.7.0', false, null],
    ['on the second introduced', range([{ introduced: '1.0.0' }, { fixed: '1.5.0' }, { introduced: '2.0.0' }, { fixed: '2.5.0' }]), 'semver', '2.0.0', true, '2.5.0'],
    ['limit stops the range', range([{ introduced: '0' }, { limit: '2.0.0' }]), 'semver', '2.0.0', false, null],
    ['below the limit', range([{ introduced: '0' }, { limit: '2.0.0' }]), 'semver', '1.9.0', true, null],
    ['limit *', range([{ introduced: '0' }, { limit: '*' }]), 'semver', '99.0.0', true, null],
    // Ecosystem order, not string order.
    ['dpkg epoch', range([{ introduced: '0' }, { fixed: '1:1.0-1' }]), 'dpkg', '2.0-1', true, '1:1.0-1'],
    ['dpkg revision numbers', range([{ introduced: '0' }, { fixed: '2.36-9+deb12u4' }]), 'dpkg', '2.36-9+deb12u10', false, null],
    ['apk revision', range([{ introduced: '0' }, { fixed: '3.1.4-r1' }]), 'apk', '3.1.4-r0', true, '3.1.4-r1'],
    ['rpm release', range([{ introduced: '0' }, { fixed: '0:3.0.7-27.el9' }]), 'rpm', '3.0.7-24.el9', true, '0:3.0.7-27.el9'],
    ['PyPI dev release', range([{ introduced: '0' }, { fixed: '2.0' }]), 'pep440', '2.0.dev1', true, '2.0'],
    ['Maven qualifier', range([{ introduced: '2.0' }, { fixed: '2.17.1' }]), 'maven', '2.17.1.RELEASE', false, null],
    ['Go pseudo-version, SEMVER range', range([{ introduced: '0' }, { fixed: '0.0.0-20220315000000-aaaaaaaaaaaa' }], 'SEMVER'), 'go', 'v0.0.0-20210101000000-bbbbbbbbbbbb', true, '0.0.0-20220315000000-aaaaaaaaaaaa'],
    ['GIT ranges are ignored', range([{ introduced: '0' }, { fixed: 'abc123' }], 'GIT'), 'semver', '1.0.0', false, null],
    ['exact versions list', { versions: ['1.0.0', '1.0.1'] }, 'semver', '1.0.1', true, null],
    ['not in the versions list', { versions: ['1.0.0', '1.0.1'] }, 'semver', '1.0.2', false, null],
    ['versions list in scheme equality', { versions: ['1.0'] }, 'maven', '1.0.0', true, null],
    ['nothing given', {}, 'semver', '1.0.0', false, null],
  ])('%s', (_what, affected, scheme, version, want, fixed) => {
    expect(affectedVersion(affected, scheme, version)).toEqual({ affected: want, fixed });
  });

  it('combines several ranges: the fix is the highest that covers every range the version is in', () => {
    const affected: OsvAffected = {
      ranges: [
        { type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.5.0' }] },
        { type: 'ECOSYSTEM', events: [{ introduced: '1.2.0' }, { fixed: '1.6.0' }] },
        { type: 'ECOSYSTEM', events: [{ introduced: '3.0.0' }, { fixed: '3.1.0' }] },
      ],
    };
    expect(affectedVersion(affected, 'semver', '1.3.0')).toEqual({ affected: true, fixed: '1.6.0' });
    expect(affectedVersion(affected, 'semver', '1.1.0')).toEqual({ affected: true, fixed: '1.5.0' });
    expect(affectedVersion(affected, 'semver', '3.0.5')).toEqual({ affected: true, fixed: '3.1.0' });
    expect(affectedVersion(affected, 'semver', '2.0.0')).toEqual({ affected: false, fixed: null });
  });

  it('reports no fix when one of the ranges containing the version has none', () => {
    const affected: OsvAffected = {
      ranges: [
        { type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.5.0' }] },
        { type: 'ECOSYSTEM', events: [{ introduced: '1.0.0' }, { last_affected: '1.9.0' }] },
      ],
    };
    expect(affectedVersion(affected, 'semver', '1.2.0')).toEqual({ affected: true, fixed: null });
  });
});
