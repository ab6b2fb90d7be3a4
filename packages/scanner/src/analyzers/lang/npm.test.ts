import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FileInfo } from '../../types.ts';
import { isNpmManifestPath, npmAnalyzer } from './npm.ts';

const analyzer = npmAnalyzer();
const info = (p: string): FileInfo => ({ path: p, size: 100, mode: 0o644, layer: 'sha256:l' });
const analyze = async (p: string, manifest: unknown) =>
  analyzer.analyze!(info(p), Buffer.from(typeof manifest === 'string' ? manifest : JSON.stringify(manifest)));

describe('npm analyzer', () => {
  it('wants a package’s own manifest directly under node_modules or node_modules/@scope', () => {
    const yes = [
      'app/node_modules/express/package.json',
      'node_modules/express/package.json',
      'usr/lib/node_modules/npm/node_modules/@npmcli/arborist/package.json',
      'app/node_modules/a/node_modules/b/package.json',
    ];
    const no = [
      'app/package.json',
      'app/node_modules/express/lib/package.json',
      'app/node_modules/x/test/package.json',
      'app/node_modules/@scope/package.json',
      'app/node_modules/package.json',
      'app/node_modules/@babel/core/esm/package.json',
      'app/node_modules/express/package.json.bak',
    ];
    expect(yes.filter(isNpmManifestPath)).toEqual(yes);
    expect(no.filter(isNpmManifestPath)).toEqual([]);
    expect(analyzer.wants(info(yes[0]!))).toBe(true);
  });

  it('reads installed packages of this repository as they are', async () => {
    // Real manifests from this checkout's node_modules, a scoped one and a plain one.
    for (const dir of ['node_modules/@types/semver', 'node_modules/semver']) {
      const p = path.join(import.meta.dirname, '../../../../..', dir, 'package.json');
      const raw = fs.readFileSync(p);
      const { name, version, license } = JSON.parse(raw.toString()) as { name: string; version: string; license: string };
      const r = await analyzer.analyze!(info(`app/${dir}/package.json`), raw);
      expect(r.packages).toEqual([
        { type: 'npm', name, version, path: `app/${dir}/package.json`, layer: 'sha256:l', purl: `pkg:npm/${name.replace('@', '%40')}@${version}`, licenses: [license] },
      ]);
    }
  });

  it('writes scoped purls with an encoded @', async () => {
    const r = await analyze('a/node_modules/@babel/core/package.json', { name: '@babel/core', version: '7.24.0' });
    expect(r.packages?.[0]?.purl).toBe('pkg:npm/%40babel/core@7.24.0');
  });

  it('reads legacy license forms', async () => {
    const of = async (m: object) => (await analyze('node_modules/x/package.json', { name: 'x', version: '1.0.0', ...m })).packages?.[0]?.licenses;
    expect(await of({ license: 'MIT OR Apache-2.0' })).toEqual(['MIT OR Apache-2.0']);
    expect(await of({ license: { type: 'BSD-3-Clause', url: 'http://x' } })).toEqual(['BSD-3-Clause']);
    expect(await of({ licenses: [{ type: 'MIT' }, { type: 'GPL-2.0' }, 'ISC'] })).toEqual(['MIT', 'GPL-2.0', 'ISC']);
    expect(await of({})).toEqual([]);
  });

  it('notes a manifest that is not JSON and skips one without a version', async () => {
    expect((await analyze('node_modules/x/package.json', '{ "name": ')).notes?.[0]?.message).toBe('npm package.json is not valid JSON');
    expect(await analyze('node_modules/x/package.json', { name: 'x' })).toEqual({});
  });
});
