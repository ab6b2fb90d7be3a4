import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FileInfo } from '../../types.ts';
import { normalizePythonName, pypiAnalyzer } from './pypi.ts';

const analyzer = pypiAnalyzer();
const info = (p: string): FileInfo => ({ path: p, size: 100, mode: 0o644, layer: 'sha256:l' });
const analyze = async (text: string) => analyzer.analyze!(info('usr/lib/python3/dist-packages/x.dist-info/METADATA'), Buffer.from(text));

const DIST_PACKAGES = '/usr/lib/python3/dist-packages';

describe('pypi analyzer', () => {
  it('wants dist-info METADATA, egg-info PKG-INFO and egg-info files', () => {
    const yes = ['usr/lib/python3/dist-packages/PyYAML-6.0.dist-info/METADATA', 'opt/venv/lib/python3.12/site-packages/a-1.egg-info/PKG-INFO', 'usr/lib/python3/dist-packages/crcmod-1.7.egg-info'];
    const no = ['usr/lib/python3/dist-packages/PyYAML-6.0.dist-info/RECORD', 'app/PKG-INFO', 'app/setup.py'];
    expect(yes.map((p) => analyzer.wants(info(p)))).toEqual([true, true, true]);
    expect(no.map((p) => analyzer.wants(info(p)))).toEqual([false, false, false]);
  });

  it("reads Debian's installed Python distributions as their directory names say", async () => {
    // Independent check: pip and setuptools name the directory <name>-<version>.dist-info / .egg-info.
    const dirs = fs.readdirSync(DIST_PACKAGES).filter((d) => /^[^-]+-[^-]+\.(dist|egg)-info$/.test(d));
    expect(dirs.length).toBeGreaterThan(5);
    for (const d of dirs) {
      const full = path.join(DIST_PACKAGES, d);
      const file = fs.statSync(full).isDirectory() ? path.join(full, d.endsWith('.dist-info') ? 'METADATA' : 'PKG-INFO') : full;
      const rel = file.slice(1);
      expect(analyzer.wants(info(rel))).toBe(true);
      const r = await analyzer.analyze!(info(rel), fs.readFileSync(file));
      const [dirName, dirVersion] = d.replace(/\.(dist|egg)-info$/, '').split('-') as [string, string];
      const pkg = r.packages?.[0];
      expect(pkg, d).toBeDefined();
      expect(normalizePythonName(pkg!.name), d).toBe(normalizePythonName(dirName));
      expect(pkg!.version, d).toBe(dirVersion);
      expect(pkg!.purl, d).toBe(`pkg:pypi/${normalizePythonName(dirName)}@${dirVersion}`);
    }
  });

  it('keeps the name as written and normalizes it for the purl (PEP 503)', async () => {
    const r = await analyze('Metadata-Version: 2.1\nName: Zope.Interface__Extra\nVersion: 6.1\n');
    expect(r.packages?.[0]).toMatchObject({ type: 'pypi', name: 'Zope.Interface__Extra', version: '6.1', purl: 'pkg:pypi/zope-interface-extra@6.1' });
  });

  it('prefers License-Expression, else License and license classifiers', async () => {
    const expr = await analyze('Name: a\nVersion: 1\nLicense-Expression: MIT OR Apache-2.0\nLicense: MIT\nClassifier: License :: OSI Approved :: MIT License\n');
    expect(expr.packages?.[0]?.licenses).toEqual(['MIT OR Apache-2.0']);
    const old = await analyze(
      'Name: a\nVersion: 1\nLicense: BSD\nClassifier: Programming Language :: Python\nClassifier: License :: OSI Approved :: BSD License\nClassifier: License :: OSI Approved\n\nLicense: body text, not a header\n',
    );
    expect(old.packages?.[0]?.licenses).toEqual(['BSD', 'BSD License']);
    const fullText = await analyze('Name: a\nVersion: 1\nLicense: Copyright (c) 2020 Someone\n        Permission is hereby granted...\nClassifier: License :: OSI Approved :: MIT License\n');
    expect(fullText.packages?.[0]?.licenses).toEqual(['MIT License']);
    expect((await analyze('Name: a\nVersion: 1\nLicense: UNKNOWN\n')).packages?.[0]?.licenses).toEqual([]);
  });

  it('notes metadata without a name or version', async () => {
    expect((await analyze('Metadata-Version: 2.1\nSummary: x\n')).notes?.[0]?.message).toBe('Python package metadata has no Name or Version');
  });
});
