import { describe, expect, it } from 'vitest';
import { pullCommands, pullReference, pullReferences } from './pull-commands';

const digest = 'sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';

describe('pull commands', () => {
  it('pull by digest first, then by each tag', () => {
    expect(pullReferences({ digest, tags: ['1.0', 'latest'] })).toEqual([
      { kind: 'digest', value: digest },
      { kind: 'tag', value: '1.0' },
      { kind: 'tag', value: 'latest' },
    ]);
    expect(pullReferences({ digest, tags: [] })).toHaveLength(1);
  });

  it('names the image under the public host, with @digest or :tag', () => {
    expect(pullReference('reg.example:8443', 'web', 'site/frontend', { kind: 'digest', value: digest })).toBe(
      `reg.example:8443/web/site/frontend@${digest}`,
    );
    expect(pullCommands('reg.example', 'web', 'api', { kind: 'tag', value: '1.0' })).toEqual([
      { client: 'docker', command: 'docker pull reg.example/web/api:1.0' },
      { client: 'podman', command: 'podman pull reg.example/web/api:1.0' },
    ]);
  });
});
