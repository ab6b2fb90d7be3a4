import { describe, expect, it } from 'vitest';
import { listVulnerabilitiesQuery } from '@berth/api';
import { DEFAULT_VULNERABILITY_FILTERS, parseVulnerabilityFilters } from './get-vulnerabilities';

describe('parseVulnerabilityFilters', () => {
  it('reads sort, order, search, levels and fixable from the URL, defaults for the rest', () => {
    expect(parseVulnerabilityFilters(new URLSearchParams(''))).toEqual(DEFAULT_VULNERABILITY_FILTERS);
    expect(parseVulnerabilityFilters(new URLSearchParams('sort=package&order=asc&q=%20lodash%20&severity=low,critical,bogus&fixable=true'))).toEqual({
      sort: 'package',
      order: 'asc',
      q: 'lodash',
      severity: ['critical', 'low'],
      fixable: true,
    });
    expect(parseVulnerabilityFilters(new URLSearchParams('sort=score&order=up')).sort).toBe('severity');
  });

  it('asks only what the API accepts', () => {
    const f = parseVulnerabilityFilters(new URLSearchParams('sort=fixedVersion&severity=high,medium&fixable=true&q=x'));
    const parsed = listVulnerabilitiesQuery.safeParse({ limit: '100', sort: f.sort, order: f.order, q: f.q, severity: f.severity.join(','), fixable: 'true' });
    expect(parsed.success).toBe(true);
  });
});
