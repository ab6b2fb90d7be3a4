import { describe, expect, it } from 'vitest';
import { languageAnalyzers } from './index.ts';

describe('languageAnalyzers', () => {
  it('offers each kind of language file to exactly one analyzer', () => {
    const analyzers = languageAnalyzers();
    expect(analyzers.map((a) => a.name)).toEqual(['npm', 'pypi', 'go-binary', 'jar']);
    const files = [
      { path: 'app/node_modules/left-pad/package.json', size: 500, mode: 0o644, want: 'npm' },
      { path: 'usr/lib/python3/dist-packages/six-1.16.0.dist-info/METADATA', size: 500, mode: 0o644, want: 'pypi' },
      { path: 'usr/local/bin/server', size: 8 << 20, mode: 0o755, want: 'go-binary' },
      { path: 'app/app.jar', size: 8 << 20, mode: 0o644, want: 'jar' },
      { path: 'etc/passwd', size: 500, mode: 0o644, want: undefined },
    ];
    for (const f of files) {
      const wanted = analyzers.filter((a) => a.wants({ ...f, layer: 'sha256:l' })).map((a) => a.name);
      expect(wanted, f.path).toEqual(f.want ? [f.want] : []);
    }
    for (const a of analyzers) expect(Boolean(a.analyze) !== Boolean(a.analyzeStream), a.name).toBe(true);
  });
});
