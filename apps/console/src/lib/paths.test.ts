import { describe, expect, it } from 'vitest';
import { paths, safeReturnPath } from './paths';

describe('paths', () => {
  it('keeps the slashes of an image name as path separators', () => {
    expect(paths.image('webteam', 'site/frontend')).toBe('/repositories/webteam/images/site/frontend');
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
