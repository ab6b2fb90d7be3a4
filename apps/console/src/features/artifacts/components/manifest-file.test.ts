import { describe, expect, it } from 'vitest';
import { indexChildren } from './manifest-file';

describe('indexChildren', () => {
  it('lists the manifests of an index with their platforms, and nothing for anything else', () => {
    const index = JSON.stringify({
      manifests: [
        { mediaType: 'm', digest: 'sha256:a', size: 5, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
        { mediaType: 'm', digest: 'sha256:b', size: 6 },
      ],
    });
    expect(indexChildren(index)).toEqual([
      { digest: 'sha256:a', mediaType: 'm', size: 5, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
      { digest: 'sha256:b', mediaType: 'm', size: 6, platform: null },
    ]);
    expect(indexChildren('{"layers":[]}')).toEqual([]);
    expect(indexChildren('nope')).toEqual([]);
    expect(indexChildren(undefined)).toEqual([]);
  });
});
