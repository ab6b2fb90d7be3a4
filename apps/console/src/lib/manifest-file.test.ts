import { describe, expect, it } from 'vitest';
import { manifestFileName, prettyJson } from './manifest-file';

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
