import { describe, expect, it } from 'vitest';
import { artifact } from './fixtures.ts';
import { artifactGraph, deleteBlockers, followers, isTopLevel, type ArtifactNode } from './references.ts';

// An image with a two-platform index (tagged 1.0), each platform signed, the index signed,
// an SBOM of the signature, a lone tagged image with a signature, and a second index
// sharing the amd64 platform image.
const image = [
  artifact('index', { tags: ['1.0'], children: ['amd64', 'arm64'] }),
  artifact('amd64'),
  artifact('arm64'),
  artifact('sig-amd64', { subject: 'amd64' }),
  artifact('sig-index', { subject: 'index' }),
  artifact('sbom-of-sig', { subject: 'sig-index' }),
  artifact('app', { tags: ['app'] }),
  artifact('sig-app', { subject: 'app' }),
  artifact('tagged-sig', { subject: 'app', tags: ['sha256-app.sig'] }),
  artifact('index-2', { children: ['amd64', 'ghost'] }),
];

describe('the artifact graph', () => {
  it('resolves children and subjects within the input only', () => {
    const nodes = artifactGraph([...image, artifact('orphan-sig', { subject: 'gone' }), artifact('self', { children: ['self', 'amd64', 'amd64'] })]);
    const g = new Map(nodes.map((n) => [n.digest, n]));
    const digests = (list: readonly ArtifactNode[]) => list.map((n) => n.digest);
    expect(digests(g.get('amd64')!.indexes)).toEqual(['index', 'index-2', 'self']);
    expect(digests(g.get('amd64')!.referrers)).toEqual(['sig-amd64']);
    expect(digests(g.get('index-2')!.children)).toEqual(['amd64']);
    expect(digests(g.get('self')!.children)).toEqual(['amd64']);
    expect(g.get('sbom-of-sig')!.subject).toBe(g.get('sig-index'));
    expect(g.get('orphan-sig')!.subject).toBeNull();
    const top = nodes.filter(isTopLevel).map((n) => n.digest);
    expect(top).toEqual(['index', 'app', 'index-2', 'orphan-sig', 'self']);
  });
});

describe('deleteBlockers', () => {
  it.each([
    ['an index with its children and their signatures', ['index', 'amd64', 'arm64', 'sig-amd64', 'sig-index', 'sbom-of-sig', 'index-2'], []],
    ['a lone untagged platform image', ['arm64'], [{ digest: 'arm64', referrer: 'index', kind: 'index-child' }]],
    [
      'an index with what it refers to, when another index lists one of its platform images',
      ['index', 'amd64', 'arm64', 'sig-amd64', 'sig-index', 'sbom-of-sig'],
      [{ digest: 'amd64', referrer: 'index-2', kind: 'index-child' }],
    ],
    [
      'an index alone',
      ['index'],
      [
        { digest: 'index', referrer: 'sig-index', kind: 'subject' },
      ],
    ],
    [
      'an image whose signatures stay',
      ['app'],
      [
        { digest: 'app', referrer: 'sig-app', kind: 'subject' },
        { digest: 'app', referrer: 'tagged-sig', kind: 'subject' },
      ],
    ],
    ['an image with its signatures', ['app', 'sig-app', 'tagged-sig'], []],
    ['a signature whose SBOM stays', ['sig-index'], [{ digest: 'sig-index', referrer: 'sbom-of-sig', kind: 'subject' }]],
    ['a signature alone', ['sig-app'], []],
    ['a digest not in the image', ['ghost'], [{ digest: 'ghost', referrer: 'index-2', kind: 'index-child' }]],
  ])('%s', (_label, targets, blockers) => {
    expect(deleteBlockers(new Set(targets), image)).toEqual(blockers);
  });
});

describe('followers', () => {
  it.each([
    [
      'an index takes its own platform image, the signatures and the SBOM, not what another index lists',
      'index',
      [
        { digest: 'arm64', kind: 'index-child', of: 'index' },
        { digest: 'sig-index', kind: 'referrer', of: 'index' },
        { digest: 'sbom-of-sig', kind: 'referrer', of: 'sig-index' },
      ],
    ],
    ['an index whose platform image another index lists takes nothing of it', 'index-2', []],
    ['an image takes its untagged signature, not the tagged one', 'app', [{ digest: 'sig-app', kind: 'referrer', of: 'app' }]],
    ['a platform image takes its signature', 'amd64', [{ digest: 'sig-amd64', kind: 'referrer', of: 'amd64' }]],
    ['an artifact with nothing referring to it', 'sig-app', []],
    ['a digest not in the image', 'ghost', []],
  ])('%s', (_label, digest, expected) => {
    expect(followers(digest, image)).toEqual(expected);
  });

  it('drops a follower whose signature another image also claims, and what hangs from it', () => {
    // p is also listed by i2, so it stays; so must its signature.
    const shared = [artifact('i1', { children: ['p'] }), artifact('i2', { children: ['p'] }), artifact('p'), artifact('p-sig', { subject: 'p' })];
    expect(followers('i1', shared)).toEqual([]);
    expect(followers('i1', shared.slice(0, 1).concat(shared.slice(2)))).toEqual([
      { digest: 'p', kind: 'index-child', of: 'i1' },
      { digest: 'p-sig', kind: 'referrer', of: 'p' },
    ]);
  });
});
