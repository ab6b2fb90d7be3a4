import { PackageURL } from 'packageurl-js';
import { describe, expect, it } from 'vitest';
import { apkAnalyzer, readApkInstalled } from './apk.ts';

const file = (p: string) => ({ path: p, size: 0, mode: 0o644, layer: 'sha256:cc' });
const DB = 'lib/apk/db/installed';

// Two records as apk-tools writes them in an Alpine 3.19 image (checksums shortened).
const INSTALLED = `C:Q1kvn7bG1Kx0vWJ5h9ZiqZdN3v3vY=
P:musl
V:1.2.4_git20230717-r4
A:x86_64
S:407683
I:667648
T:the musl c library (libc) implementation
U:https://musl.libc.org/
L:MIT
o:musl
m:Natanael Copa <ncopa@alpinelinux.org>
t:1700000000
c:ca7f2ab5e88794e4e654b40776f8a92256f50639
p:so:libc.musl-x86_64.so.1=1
F:lib
R:ld-musl-x86_64.so.1
a:0:0:755
Z:Q1Kq3zbZ6P2pHq0tT6y3Tt3J3jv5U=
R:libc.musl-x86_64.so.1
a:0:0:777
Z:Q17yJ3JFNypA4mxhJJr0ou6CzsJVI=

C:Q1MG2nHqy6bUdt1fgpm1BJfZs8mmE=
P:libcrypto3
V:3.1.4-r5
A:x86_64
S:1767458
I:4321280
T:Crypto library from openssl
U:https://www.openssl.org/
L:Apache-2.0
o:openssl
m:Ariadne Conill <ariadne@dereferenced.org>
t:1706000000
c:9a1f3e4e2f4c8c1d1f2a3b4c5d6e7f8091a2b3c4
D:so:libc.musl-x86_64.so.1
F:usr/lib
R:libcrypto.so.3
a:0:0:755
Z:Q1cMm9wpzPTnzbbvD1PzbsqG1yqu8=

`;

describe('apk analyzer', () => {
  it('reads each installed package with its origin as source and its license', () => {
    const { packages, notes } = readApkInstalled(file(DB), Buffer.from(INSTALLED));
    expect(notes).toBeUndefined();
    expect(packages!.map((p) => [p.type, p.name, p.version, p.source, p.licenses, p.path, p.layer])).toEqual([
      ['apk', 'musl', '1.2.4_git20230717-r4', { name: 'musl', version: '1.2.4_git20230717-r4' }, ['MIT'], DB, 'sha256:cc'],
      ['apk', 'libcrypto3', '3.1.4-r5', { name: 'openssl', version: '3.1.4-r5' }, ['Apache-2.0'], DB, 'sha256:cc'],
    ]);
    const purl = PackageURL.fromString(packages![1]!.purl);
    expect([purl.type, purl.namespace, purl.name, purl.version, purl.qualifiers]).toEqual(['apk', 'alpine', 'libcrypto3', '3.1.4-r5', { arch: 'x86_64' }]);
  });

  it('accepts CRLF line ends and a missing final blank line', () => {
    const { packages } = readApkInstalled(file(DB), Buffer.from(INSTALLED.trimEnd().replaceAll('\n', '\r\n')));
    expect(packages!.map((p) => `${p.name}@${p.version}`)).toEqual(['musl@1.2.4_git20230717-r4', 'libcrypto3@3.1.4-r5']);
  });

  it('notes records without a version and binary content instead of throwing', () => {
    const partial = readApkInstalled(file(DB), Buffer.from('P:busybox\nA:x86_64\n\nP:zlib\nV:1.3.1-r0\n'));
    expect(partial.packages!.map((p) => p.name)).toEqual(['zlib']);
    expect(partial.packages![0]!.licenses).toEqual([]);
    expect(partial.notes?.[0]?.message).toMatch(/1 apk records/);
    expect(readApkInstalled(file(DB), Buffer.from([1, 0, 2])).notes).toHaveLength(1);
  });

  it('wants the installed database in both locations only', () => {
    const a = apkAnalyzer();
    expect(['lib/apk/db/installed', 'usr/lib/apk/db/installed', 'lib/apk/db/triggers', 'etc/apk/world'].map((p) => a.wants(file(p)))).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });
});
