// Real rpm databases, built with Debian's rpm 4.18 (scripts/system-deps.sh installs it):
// rpmbuild makes tiny packages, `rpm -i --justdb` records them, `rpm --import` adds a
// gpg-pubkey. rpm itself is then the reference for what the analyzer must read.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { PackageURL } from 'packageurl-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRpmDatabase, rpmAnalyzer } from './rpm.ts';
import { sourceRpmName } from './header.ts';

const file = (p: string) => ({ path: p, size: 0, mode: 0o644, layer: 'sha256:dd' });
const SQLITE = 'var/lib/rpm/rpmdb.sqlite';

const SPEC_HELLO = `Name: berth-hello
Epoch: 2
Version: 1.2.3
Release: 4.el9
Summary: Test package
License: MIT and (ASL 2.0 or BSD)
BuildArch: noarch
%description
Test package.
%package libs
Summary: Its library
License: LGPL-2.1-or-later
%description libs
Its library.
%files
%files libs
`;
const SPEC_PLAIN = `Name: berth-plain
Version: 0.9
Release: 1
Summary: No epoch
License: Zlib
%description
No epoch.
%files
`;

let dir: string;
let gnupg: string;
let dbFile: Buffer;
let expected: string[];

function rpm(...args: string[]): string {
  return execFileSync('rpm', ['--define', '_db_backend sqlite', '--dbpath', path.join(dir, 'db'), ...args], { stdio: ['ignore', 'pipe', 'ignore'] }).toString('utf8');
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-rpmdb-'));
  for (const [name, spec, target] of [
    ['hello', SPEC_HELLO, 'noarch'],
    ['plain', SPEC_PLAIN, 'x86_64'],
  ] as const) {
    fs.writeFileSync(path.join(dir, `${name}.spec`), spec);
    execFileSync('rpmbuild', ['-bb', '--target', target, '--define', `_topdir ${dir}/top`, path.join(dir, `${name}.spec`)], { stdio: 'ignore' });
  }
  const rpms = execFileSync('find', [path.join(dir, 'top/RPMS'), '-name', '*.rpm']).toString('utf8').trim().split('\n');
  fs.mkdirSync(path.join(dir, 'db'));
  rpm('--initdb');
  rpm('-i', '--justdb', '--nodeps', '--noscripts', ...rpms);
  gnupg = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-gpg-'));
  const env = { ...process.env, GNUPGHOME: gnupg };
  execFileSync('gpg', ['--batch', '--passphrase', '', '--quick-gen-key', 'Berth Test <test@example.org>', 'ed25519', 'sign', 'never'], { env, stdio: 'ignore' });
  fs.writeFileSync(path.join(dir, 'key.asc'), execFileSync('gpg', ['--armor', '--export'], { env }));
  rpm('--import', path.join(dir, 'key.asc'));
  dbFile = fs.readFileSync(path.join(dir, 'db', 'rpmdb.sqlite'));
  expected = rpm('-qa', '--qf', '%{NAME}\\t%|EPOCH?{%{EPOCH}:}|\\t%{VERSION}-%{RELEASE}\\t%{SOURCERPM}\\t%{LICENSE}\\t%{ARCH}\\n')
    .trim()
    .split('\n')
    .filter((l) => !l.startsWith('gpg-pubkey\t'));
}, 60_000);

afterAll(() => {
  // gpg starts an agent for its home directory: stop it, then remove the fixtures.
  if (gnupg) execFileSync('gpgconf', ['--kill', 'gpg-agent'], { env: { ...process.env, GNUPGHOME: gnupg }, stdio: 'ignore' });
  for (const d of [dir, gnupg]) if (d) fs.rmSync(d, { recursive: true, force: true });
});

describe('rpm SQLite database', () => {
  it('reads every package rpm lists, except gpg-pubkey, as rpm shows it', () => {
    expect(rpm('-qa')).toMatch(/^gpg-pubkey-/m); // the fixture has one to skip
    const { packages, notes } = readRpmDatabase(file(SQLITE), dbFile);
    expect(notes).toBeUndefined();
    expect(expected).toHaveLength(3);
    const actual = packages!.map((p) => {
      const arch = PackageURL.fromString(p.purl).qualifiers?.['arch'];
      return `${p.name}|${p.version}|${p.source!.name}|${p.licenses.join()}|${arch}`;
    });
    const fromRpm = expected
      .map((l) => {
        const [name, epoch, vr, srpm, license, arch] = l.split('\t');
        return `${name}|${epoch}${vr}|${sourceRpmName(srpm!)}|${license}|${arch}`;
      })
      .sort();
    expect(actual.sort()).toEqual(fromRpm);
  });

  it('names the source package after the source RPM and gives it the binary version', () => {
    const { packages } = readRpmDatabase(file(SQLITE), dbFile);
    const libs = packages!.find((p) => p.name === 'berth-hello-libs')!;
    expect(libs).toMatchObject({ type: 'rpm', version: '2:1.2.3-4.el9', source: { name: 'berth-hello', version: '2:1.2.3-4.el9' }, path: SQLITE, layer: 'sha256:dd' });
    const purl = PackageURL.fromString(libs.purl);
    expect([purl.type, purl.name, purl.version, purl.qualifiers]).toEqual(['rpm', 'berth-hello-libs', '1.2.3-4.el9', { arch: 'noarch', epoch: '2' }]);
  });

  it('does not change the file it is given (rpm keeps it in WAL mode)', () => {
    const before = Buffer.from(dbFile);
    readRpmDatabase(file(SQLITE), dbFile);
    expect(dbFile.equals(before)).toBe(true);
  });
});

/** Writes header blobs into an NDB file laid out as rpm's rpmpkg.c does, with a free slot before the last. */
function buildNdb(blobs: Buffer[]): Buffer {
  const page = 4096;
  const slots = Buffer.alloc(page);
  slots.write('RpmP', 0, 'latin1');
  slots.writeUInt32LE(7, 8); // generation
  slots.writeUInt32LE(1, 12); // slot pages
  slots.writeUInt32LE(blobs.length + 2, 16); // next package index
  for (let at = 32; at < page; at += 16) slots.write('Slot', at, 'latin1');
  const parts: Buffer[] = [slots];
  let blk = page / 16;
  blobs.forEach((blob, i) => {
    const pkgidx = i + 1 + (i === blobs.length - 1 ? 1 : 0);
    const slotAt = 32 + 16 * (i + (i === blobs.length - 1 ? 1 : 0));
    const size = Math.ceil((16 + blob.length + 12) / 16) * 16;
    const rec = Buffer.alloc(size);
    rec.write('BlbS', 0, 'latin1');
    rec.writeUInt32LE(pkgidx, 4);
    rec.writeUInt32LE(1700000000, 8);
    rec.writeUInt32LE(blob.length, 12);
    blob.copy(rec, 16);
    rec.writeUInt32LE(blob.length, size - 8);
    rec.write('BlbE', size - 4, 'latin1');
    slots.writeUInt32LE(pkgidx, slotAt + 4);
    slots.writeUInt32LE(blk, slotAt + 8);
    slots.writeUInt32LE(size / 16, slotAt + 12);
    parts.push(rec);
    blk += size / 16;
  });
  return Buffer.concat(parts);
}

describe('rpm NDB database', () => {
  it('reads the same packages from the same headers stored in NDB slots', () => {
    const db = new Database(path.join(dir, 'db', 'rpmdb.sqlite'), { readonly: true });
    const blobs = (db.prepare('SELECT blob FROM Packages ORDER BY hnum').raw().all() as [Buffer][]).map((r) => r[0]);
    db.close();
    const ndb = buildNdb(blobs);
    const fromNdb = readRpmDatabase(file('usr/lib/sysimage/rpm/Packages.db'), ndb);
    const fromSqlite = readRpmDatabase(file(SQLITE), dbFile);
    const strip = (ps: typeof fromNdb.packages) => ps!.map(({ path: _p, ...rest }) => rest);
    expect(fromNdb.notes).toBeUndefined();
    expect(strip(fromNdb.packages)).toEqual(strip(fromSqlite.packages));
    expect(fromNdb.packages![0]!.path).toBe('usr/lib/sysimage/rpm/Packages.db');
  });

  it('notes a truncated NDB file instead of throwing', () => {
    const db = new Database(path.join(dir, 'db', 'rpmdb.sqlite'), { readonly: true });
    const blobs = (db.prepare('SELECT blob FROM Packages').raw().all() as [Buffer][]).map((r) => r[0]);
    db.close();
    const ndb = buildNdb(blobs);
    const found = readRpmDatabase(file('var/lib/rpm/Packages.db'), ndb.subarray(0, ndb.length - 200));
    expect(found.packages).toBeUndefined();
    expect(found.notes?.[0]?.message).toMatch(/could not be read/);
  });
});

// Writes a Berkeley DB hash database the way rpm < 4.16 did (key: native u32 instance
// number, value: header blob; key 0 holds the next instance), with Berkeley DB itself
// (libdb 5.3 through Perl's DB_File).
const MAKE_BDB = `use DB_File; use Fcntl;
my ($out, $bsize, @blobs) = @ARGV;
$DB_HASH->{bsize} = $bsize;
tie my %h, 'DB_File', $out, O_RDWR|O_CREAT, 0644, $DB_HASH or die "tie: $!";
$h{pack('L', 0)} = pack('L', scalar(@blobs) + 1);
my $i = 1;
for my $f (@blobs) { open my $fh, '<:raw', $f or die; local $/; $h{pack('L', $i++)} = <$fh>; }
untie %h;`;

describe('rpm BerkeleyDB database', () => {
  // 4096-byte pages keep these headers inline; 512-byte pages push them onto overflow pages.
  it.each([4096, 512])('reads the same packages from a Berkeley DB hash database with %i-byte pages', (pageSize) => {
    const db = new Database(path.join(dir, 'db', 'rpmdb.sqlite'), { readonly: true });
    const blobs = (db.prepare('SELECT hnum, blob FROM Packages ORDER BY hnum').raw().all() as [number, Buffer][]).map(([hnum, blob]) => {
      const p = path.join(dir, `header-${hnum}.bin`);
      fs.writeFileSync(p, blob);
      return p;
    });
    db.close();
    const out = path.join(dir, `Packages-${pageSize}`);
    fs.rmSync(out, { force: true });
    execFileSync('perl', ['-e', MAKE_BDB, out, String(pageSize), ...blobs]);
    const fromBdb = readRpmDatabase(file('var/lib/rpm/Packages'), fs.readFileSync(out));
    const fromSqlite = readRpmDatabase(file(SQLITE), dbFile);
    const key = (ps: typeof fromBdb.packages) => ps!.map((p) => `${p.name}|${p.version}|${p.source!.name}|${p.licenses.join()}|${p.purl}`).sort();
    expect(fromBdb.notes).toBeUndefined();
    expect(key(fromBdb.packages)).toEqual(key(fromSqlite.packages));
    expect(fromBdb.packages![0]!.path).toBe('var/lib/rpm/Packages');
  });
});

describe('other rpm database files', () => {
  it('says plainly when a BerkeleyDB file is damaged', () => {
    const bdb = Buffer.alloc(4096);
    bdb.writeUInt32LE(0x00061561, 12); // hash database magic, but page size 0
    expect(readRpmDatabase(file('var/lib/rpm/Packages'), bdb)).toEqual({
      notes: [{ path: 'var/lib/rpm/Packages', layer: 'sha256:dd', message: 'rpm database could not be read: bad Berkeley DB page size 0' }],
    });
  });

  it('notes a damaged SQLite file or unknown bytes instead of throwing', () => {
    const damaged = Buffer.from(dbFile.subarray(0, 4096));
    expect(readRpmDatabase(file(SQLITE), damaged).notes).toHaveLength(1);
    expect(readRpmDatabase(file(SQLITE), Buffer.from('hello')).notes?.[0]?.message).toMatch(/neither/);
  });

  it('wants the database files (and the SQLite WAL) at both rpm locations only', () => {
    const a = rpmAnalyzer();
    const paths = ['var/lib/rpm/rpmdb.sqlite', 'usr/lib/sysimage/rpm/rpmdb.sqlite', 'var/lib/rpm/Packages.db', 'var/lib/rpm/Packages', 'var/lib/rpm/rpmdb.sqlite-wal', 'var/lib/rpm/Name', 'var/lib/rpm/rpmdb.sqlite-shm'];
    expect(paths.map((p) => a.wants(file(p)))).toEqual([true, true, true, true, true, false, false]);
  });

  it('says when the SQLite write-ahead log holds changes it cannot read', () => {
    const wal = 'var/lib/rpm/rpmdb.sqlite-wal';
    expect(readRpmDatabase(file(wal), Buffer.alloc(0))).toEqual({});
    expect(readRpmDatabase(file(wal), Buffer.alloc(4096, 1)).notes?.[0]?.message).toMatch(/write-ahead log/);
  });
});

describe('sourceRpmName', () => {
  it.each([
    ['bash-5.1.8-6.el9.src.rpm', 'bash'],
    ['python3.11-libs-3.11.5-1.el9_3.src.rpm', 'python3.11-libs'],
    ['kernel-5.14.0-362.8.1.el9_3.nosrc.rpm', 'kernel'],
    ['nodash.src.rpm', null],
  ])('%s → %s', (srpm, name) => {
    expect(sourceRpmName(srpm)).toBe(name);
  });
});
