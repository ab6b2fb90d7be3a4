import { describe, expect, it } from 'vitest';
import { matchPath } from 'react-router';
import { scanPath } from './scan-path';

const digest = `sha256:${'ab'.repeat(32)}`;

describe('scanPath', () => {
  it('is a path the scan route matches back to the same repository, digest and image (names with / included)', () => {
    for (const image of ['app', 'team/web-app', 'a/b.c/d__e']) {
      const path = scanPath('lib', image, digest);
      const match = matchPath('/repositories/:repository/scans/:digest/*', path);
      expect(match?.params).toMatchObject({ repository: 'lib', digest, '*': image });
    }
    expect(scanPath('lib', 'app', digest)).toBe(`/repositories/lib/scans/${digest}/app`);
  });

  it('keeps the tab in the query, the default one out of it', () => {
    expect(scanPath('lib', 'app', digest, 'secrets')).toBe(`/repositories/lib/scans/${digest}/app?tab=secrets`);
    expect(scanPath('lib', 'app', digest, 'vulnerabilities')).toBe(`/repositories/lib/scans/${digest}/app`);
  });
});
