import { describe, expect, it } from 'vitest';
import { connectionFingerprint, connectionTestOf, externalPullCommands, externalPushCommands, fullImageName, parseImageName, testStatus, urlProblem } from './external';

describe('parseImageName', () => {
  it('splits a name into repository and image, top-level names under _', () => {
    expect(parseImageName('team/app')).toEqual({ repository: 'team', image: 'app' });
    expect(parseImageName(' team/tools/cli ')).toEqual({ repository: 'team', image: 'tools/cli' });
    expect(parseImageName('busybox')).toEqual({ repository: '_', image: 'busybox' });
    expect(parseImageName('library/alpine:3.20')).toEqual({ repository: 'library', image: 'alpine' });
    expect(parseImageName('Team/App@sha256:abc')).toEqual({ repository: 'team', image: 'app' });
  });
  it('refuses what is not an image name', () => {
    for (const bad of ['', '/', 'team//app', 'a b', '-x', 'team/app!']) expect(parseImageName(bad), bad).toBeNull();
  });
});

describe('commands', () => {
  it('pull by tag and digest with the registry host', () => {
    expect(externalPullCommands('127.0.0.1:5000', 'team/app', { tag: '1.0' }).map((c) => c.command)).toEqual(['docker pull 127.0.0.1:5000/team/app:1.0', 'podman pull 127.0.0.1:5000/team/app:1.0']);
    expect(externalPullCommands('docker.io', 'busybox', { digest: 'sha256:1' })[0]!.command).toBe('docker pull docker.io/busybox@sha256:1');
    expect(fullImageName('_', 'busybox')).toBe('busybox');
  });
  it('push logs in with the account username, never a password', () => {
    const cmds = externalPushCommands('lab:5000', 'team/app', 'robot').map((c) => c.command);
    expect(cmds[0]).toBe('docker login lab:5000 -u robot');
    expect(cmds).toContain('podman push lab:5000/team/app[:TAG]');
    expect(externalPushCommands('lab:5000', 'team/app', null)[0]!.command).toBe('docker login lab:5000');
  });
});

describe('connectionFingerprint', () => {
  const base = { type: 'registry' as const, url: 'https://r', insecure: false, mode: 'read-write' as const, repositoryMode: 'existing' as const, username: 'u', password: 'p' };
  it('changes with any field a test depends on', () => {
    const f = connectionFingerprint(base);
    expect(connectionFingerprint({ ...base })).toBe(f);
    for (const change of [{ url: 'https://s' }, { insecure: true }, { mode: 'pull-only' as const }, { username: 'v' }, { password: 'q' }, { repository: 'team' }]) {
      expect(connectionFingerprint({ ...base, ...change }), JSON.stringify(change)).not.toBe(f);
    }
  });
});

describe('testStatus', () => {
  const base = { type: 'registry' as const, url: 'https://r', insecure: false, mode: 'read-write' as const, repositoryMode: 'existing' as const, username: 'u', password: 'p' };
  const tested = connectionFingerprint(base);
  it('offers Save only while the fields are exactly those of a passed test', () => {
    expect(testStatus(null, tested)).toEqual({ passed: false, stale: false });
    expect(testStatus({ fingerprint: tested, test: { ok: true } }, tested)).toEqual({ passed: true, stale: false });
    expect(testStatus({ fingerprint: tested, test: { ok: false } }, tested)).toEqual({ passed: false, stale: false });
  });
  it('asks for a new test after any edit, even one edited back and forth', () => {
    const edited = connectionFingerprint({ ...base, password: 'p2' });
    expect(testStatus({ fingerprint: tested, test: { ok: true } }, edited)).toEqual({ passed: false, stale: true });
    expect(testStatus({ fingerprint: tested, test: { ok: true } }, connectionFingerprint({ ...base, password: 'p' }))).toEqual({ passed: true, stale: false });
  });
});

describe('urlProblem', () => {
  it('accepts http(s) URLs without credentials', () => {
    expect(urlProblem('https://registry.example.com')).toBeNull();
    expect(urlProblem('http://127.0.0.1:5000')).toBeNull();
    expect(urlProblem('registry.example.com')).toBe('invalid');
    expect(urlProblem('ftp://x')).toBe('invalid');
    expect(urlProblem('https://u:p@registry.example.com')).toBe('credentials');
  });
});

describe('connectionTestOf', () => {
  it('takes the test out of a CONNECTION_FAILED answer, and nothing else', () => {
    const test = { ok: false, reason: 'dns', message: 'lab.invalid does not resolve', at: '2026-01-01T00:00:00Z', durationMs: 3, reachable: false, auth: null, authAccepted: false, catalog: null, repository: null };
    expect(connectionTestOf(test)).toBe(test);
    for (const other of [undefined, null, 'x', [{ path: 'url', message: 'bad' }], { ok: 'no', message: 'm', at: 'a' }]) expect(connectionTestOf(other)).toBeNull();
  });
});
