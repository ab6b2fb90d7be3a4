import { describe, expect, it } from 'vitest';
import { osAnalyzers } from './index.ts';

describe('osAnalyzers', () => {
  it('routes each OS database file to exactly one analyzer, and other files to none', () => {
    const analyzers = osAnalyzers();
    const owner = (path: string) =>
      analyzers.filter((a) => a.wants({ path, size: 1, mode: 0o644, layer: 'l' })).map((a) => a.name).join(',') || 'none';
    expect(
      ['etc/os-release', 'var/lib/dpkg/status', 'var/lib/dpkg/status.d/tzdata', 'lib/apk/db/installed', 'var/lib/rpm/rpmdb.sqlite', 'usr/bin/bash', 'etc/passwd'].map(owner),
    ).toEqual(['os-release', 'dpkg', 'dpkg', 'apk', 'rpm', 'none', 'none']);
    expect(analyzers.every((a) => typeof a.analyze === 'function' && (a.maxBytes ?? 0) > 0)).toBe(true);
  });
});
