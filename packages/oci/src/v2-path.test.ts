import { describe, expect, it } from 'vitest';
import { parseV2Path } from './v2-path.ts';

describe('parseV2Path', () => {
  const d = `sha256:${'a'.repeat(64)}`;
  it('routes the OCI endpoints', () => {
    expect(parseV2Path('/v2/')).toEqual({ kind: 'base' });
    expect(parseV2Path('/v2/_catalog')).toEqual({ kind: 'catalog' });
    expect(parseV2Path('/v2/team/a/b/tags/list')).toEqual({ kind: 'tags', name: 'team/a/b', repository: 'team', image: 'a/b' });
    expect(parseV2Path(`/v2/team/app/manifests/${d}`)).toMatchObject({ kind: 'manifest', name: 'team/app', reference: { kind: 'digest' } });
    expect(parseV2Path('/v2/team/app/manifests/latest')).toMatchObject({ kind: 'manifest', reference: { kind: 'tag', tag: 'latest' } });
    expect(parseV2Path(`/v2/team/app/blobs/${d}`)).toEqual({ kind: 'blob', name: 'team/app', repository: 'team', image: 'app', digest: d });
    expect(parseV2Path('/v2/team/app/blobs/uploads/')).toEqual({ kind: 'upload', name: 'team/app', repository: 'team', image: 'app', session: null });
    expect(parseV2Path('/v2/team/app/blobs/uploads/abc-123')).toEqual({ kind: 'upload', name: 'team/app', repository: 'team', image: 'app', session: 'abc-123' });
    expect(parseV2Path(`/v2/team/a/b/referrers/${d}`)).toEqual({ kind: 'referrers', name: 'team/a/b', repository: 'team', image: 'a/b', digest: d });
  });
  it.each(['/v2/team/../etc/manifests/x', '/v2/team/%2e%2e/app/manifests/x', '/v2/team%2fapp/manifests/x', '/v2/Team/app/tags/list'])(
    'refuses the name in %s',
    (p) => {
      expect(parseV2Path(p).kind).toBe('invalid-name');
    },
  );
  it('asks for as many name components as the caller wants', () => {
    expect(parseV2Path('/v2/solo/tags/list')).toEqual({ kind: 'tags', name: 'solo', repository: 'solo', image: '' });
    expect(parseV2Path('/v2/solo/tags/list', 2).kind).toBe('invalid-name');
    expect(parseV2Path('/v2/team/solo/tags/list', 2).kind).toBe('tags');
  });
  it('refuses malformed references', () => {
    expect(parseV2Path('/v2/team/app/manifests/sha256:xyz').kind).toBe('invalid-reference');
    expect(parseV2Path('/v2/team/app/blobs/latest').kind).toBe('invalid-reference');
    expect(parseV2Path('/v2/team/app/referrers/latest')).toMatchObject({ kind: 'invalid-reference', raw: 'latest' });
    expect(parseV2Path('/v2/team/app/referrers/sha256:nope').kind).toBe('invalid-reference');
  });
});
