import { describe, expect, it } from 'vitest';
import { paths, safeReturnPath } from './paths';

describe('paths', () => {
  it('keeps the slashes of an image name as path separators', () => {
    expect(paths.image('webteam', 'site/frontend')).toBe('/repositories/webteam/images/site/frontend');
  });
  it('spells the browse pages of an external registry, top-level images under _', () => {
    expect(paths.registryRepository('hub', 'library')).toBe('/registries/hub/repositories/library');
    expect(paths.registryImage('lab', 'team', 'tools/cli')).toBe('/registries/lab/repositories/team/images/tools/cli');
    expect(paths.registryImage('hub', '_', 'busybox')).toBe('/registries/hub/repositories/_/images/busybox');
  });
});

describe('safeReturnPath', () => {
  it('follows paths on this site', () => {
    expect(safeReturnPath('/repositories/webteam/users?x=1')).toBe('/repositories/webteam/users?x=1');
  });
  it('refuses other sites and the sign-in page itself', () => {
    for (const next of ['https://evil.example/', '//evil.example/x', '/\\evil.example', '/login?next=/x', '', null, undefined]) {
      expect(safeReturnPath(next)).toBe('/repositories');
    }
  });
});
