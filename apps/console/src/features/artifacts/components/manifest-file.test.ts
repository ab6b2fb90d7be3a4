import { describe, expect, it } from 'vitest';
import { indexChildren, manifestFileName, prettyJson } from './manifest-file';

describe('manifest file', () => {
  it('is named <image>_<tag-or-digest>.json with path separators and colons made safe', () => {
    expect(manifestFileName('web', '1.0')).toBe('web_1.0.json');
    expect(manifestFileName('site/frontend', 'sha256:abc')).toBe('site_frontend_sha256_abc.json');
  });

  it('pretty-prints JSON and leaves anything else alone', () => {
    expect(prettyJson('{"a":[1]}')).toBe('{\n  "a": [\n    1\n  ]\n}');
    expect(prettyJson('not json')).toBe('not json');
  });
});

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
