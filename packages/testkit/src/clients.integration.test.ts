import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CommandError,
  createPodman,
  isolatedAuthFile,
  podmanInstalled,
  runCommand,
  skopeoCopy,
  skopeoDelete,
  skopeoInspect,
  skopeoInstalled,
  skopeoListTags,
  skopeoLogin,
  skopeoLogout,
  toTransportRef,
} from './clients.ts';
import { startDistribution, type Distribution } from './distribution.ts';
import { writeImageLayout, writeIndexLayout, type ImageLayout, type IndexLayout } from './oci-layout.ts';
import { tempDir, type TempDir } from './ports.ts';

const sha256 = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;

describe('runCommand', () => {
  it('throws a CommandError carrying stdout and stderr', async () => {
    const err = await runCommand('sh', ['-c', 'echo out; echo err >&2; exit 3']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CommandError);
    expect(err).toMatchObject({ exitCode: 3, stdout: 'out\n', stderr: 'err\n' });
  });

  it('feeds input on stdin', async () => {
    expect((await runCommand('cat', [], { input: 'secret' })).stdout).toBe('secret');
  });

  it('adds docker:// only when no transport is named', () => {
    expect(toTransportRef('127.0.0.1:5000/a/b:c')).toBe('docker://127.0.0.1:5000/a/b:c');
    expect(toTransportRef('oci:/tmp/x:tag')).toBe('oci:/tmp/x:tag');
    expect(toTransportRef('docker://h/a')).toBe('docker://h/a');
  });
});

describe('skopeo and podman against a real distribution', { timeout: 60_000 }, () => {
  let registry: Distribution;
  let work: TempDir;
  let single: ImageLayout;
  let multi: IndexLayout;

  beforeAll(async () => {
    expect(skopeoInstalled()).toBe(true);
    expect(podmanInstalled()).toBe(true);
    work = await tempDir('clients-test');
    registry = await startDistribution();
    single = await writeImageLayout(join(work.path, 'single'), {
      tag: 'v1',
      layers: [{ files: { 'etc/os-release': 'ID=debian\n', 'hello.txt': 'hello\n' } }, { randomBytes: 100_000, seed: 'clients' }],
      config: { os: 'linux', architecture: 'amd64', cmd: ['/bin/true'] },
    });
    multi = await writeIndexLayout(join(work.path, 'multi'), {
      tag: 'multi',
      platforms: [
        { os: 'linux', architecture: 'amd64', layers: [{ files: { arch: 'amd64' } }] },
        { os: 'linux', architecture: 'arm64', variant: 'v8', layers: [{ files: { arch: 'arm64' } }] },
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await registry?.stop();
    await work?.cleanup();
  });

  it('copies a single-platform image in with its digest intact', async () => {
    await skopeoCopy(`oci:${join(work.path, 'single')}:v1`, `${registry.host}/acme/hello:v1`);
    const raw = await skopeoInspect(`${registry.host}/acme/hello:v1`, { raw: true });
    expect(sha256(raw)).toBe(single.manifestDigest);
    const inspected = await skopeoInspect(`docker://${registry.host}/acme/hello:v1`);
    expect(inspected).toMatchObject({ Digest: single.manifestDigest, Architecture: 'amd64', Os: 'linux' });
    const config = await skopeoInspect(`docker://${registry.host}/acme/hello:v1`, { config: true });
    expect(config).toMatchObject({ config: { Cmd: ['/bin/true'] } });
  });

  it('copies a multi-platform index with --all', async () => {
    await skopeoCopy(`oci:${join(work.path, 'multi')}:multi`, `docker://${registry.host}/acme/multi:1.0`, { all: true });
    const raw = await skopeoInspect(`docker://${registry.host}/acme/multi:1.0`, { raw: true });
    expect(sha256(raw)).toBe(multi.indexDigest);
    const index = JSON.parse(raw) as { manifests: { digest: string; platform: { architecture: string } }[] };
    expect(index.manifests.map((m) => m.digest)).toEqual(multi.children.map((c) => c.manifestDigest));
    for (const child of multi.children) {
      const childRaw = await skopeoInspect(`docker://${registry.host}/acme/multi@${child.manifestDigest}`, { raw: true });
      expect(sha256(childRaw)).toBe(child.manifestDigest);
    }
  });

  it('lists tags and deletes by digest', async () => {
    await skopeoCopy(`oci:${join(work.path, 'single')}:v1`, `docker://${registry.host}/acme/hello:v1-copy`);
    expect((await skopeoListTags(`docker://${registry.host}/acme/hello`)).sort()).toEqual(['v1', 'v1-copy']);
    await skopeoCopy(`oci:${join(work.path, 'single')}:v1`, `docker://${registry.host}/acme/doomed:x`);
    await skopeoDelete(`docker://${registry.host}/acme/doomed@${single.manifestDigest}`);
    expect(await skopeoListTags(`docker://${registry.host}/acme/doomed`)).toEqual([]);
    const err = await skopeoInspect(`docker://${registry.host}/acme/doomed:x`, { raw: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CommandError);
    expect((err as CommandError).stderr).toMatch(/manifest unknown/i);
  });

  it('podman pulls the image and pushes it back under another tag, in its own storage', async () => {
    const podman = await createPodman();
    try {
      const ref = `${registry.host}/acme/hello:v1`;
      const id = await podman.pull(ref);
      expect(`sha256:${id}`).toBe(single.configDigest);
      expect(await podman.imageDigest(ref)).toBe(single.manifestDigest);
      await podman.tag(ref, `${registry.host}/acme/hello:again`);
      const pushed = await podman.push(`${registry.host}/acme/hello:again`);
      expect(pushed).toMatch(/^sha256:[a-f0-9]{64}$/);
      expect(sha256(await skopeoInspect(`${registry.host}/acme/hello:again`, { raw: true }))).toBe(pushed);
      const other = await podman.push(ref, `${registry.host}/other/copy:1`);
      expect(await skopeoListTags(`${registry.host}/other/copy`)).toEqual(['1']);
      expect(other).toMatch(/^sha256:/);
      expect(podman.root.startsWith(podman.dir)).toBe(true);
      expect(readFileSync(podman.authFile, 'utf8')).toContain('"auths"');
    } finally {
      await podman.cleanup();
    }
    expect(existsSync(podman.dir)).toBe(false);
  });
});

describe('credentials against a distribution with htpasswd auth', { timeout: 60_000 }, () => {
  const creds = { username: 'admin', password: 'p@ss:word with space' };
  let registry: Distribution;
  let work: TempDir;

  beforeAll(async () => {
    work = await tempDir('clients-auth');
    registry = await startDistribution({ auth: creds });
    await writeImageLayout(join(work.path, 'img'), { tag: 't', layers: [{ files: { a: 'auth' } }] });
  }, 60_000);

  afterAll(async () => {
    await registry?.stop();
    await work?.cleanup();
  });

  it('skopeo needs --creds and works with them', async () => {
    const src = `oci:${join(work.path, 'img')}:t`;
    await expect(skopeoCopy(src, `${registry.host}/secure/app:t`)).rejects.toThrow(/unauthorized|authentication required/i);
    await skopeoCopy(src, `${registry.host}/secure/app:t`, { destCreds: creds });
    expect(await skopeoListTags(`${registry.host}/secure/app`, { creds })).toEqual(['t']);
    await expect(skopeoListTags(`${registry.host}/secure/app`, { creds: { ...creds, password: 'nope' } })).rejects.toThrow(CommandError);
  });

  it('skopeo login writes only into the given auth file', async () => {
    const authFile = join(work.path, 'skopeo-auth.json');
    await skopeoLogin(registry.host, creds, { authFile });
    expect(Object.keys((JSON.parse(readFileSync(authFile, 'utf8')) as { auths: object }).auths)).toEqual([registry.host]);
    expect(await skopeoListTags(`${registry.host}/secure/app`, { authFile })).toEqual(['t']);
    await skopeoLogout(registry.host, { authFile });
    await expect(skopeoListTags(`${registry.host}/secure/app`, { authFile })).rejects.toThrow(CommandError);
    expect(readFileSync(isolatedAuthFile(), 'utf8')).toBe('{"auths":{}}\n');
  });

  it("never picks up the user's docker or containers credentials", async () => {
    const fakeHome = join(work.path, 'user-home');
    const auth = Buffer.from(`${creds.username}:${creds.password}`).toString('base64');
    mkdirSync(join(fakeHome, '.docker'), { recursive: true });
    mkdirSync(join(fakeHome, '.config', 'containers'), { recursive: true });
    const config = JSON.stringify({ auths: { [registry.host]: { auth } } });
    writeFileSync(join(fakeHome, '.docker', 'config.json'), config);
    writeFileSync(join(fakeHome, '.config', 'containers', 'auth.json'), config);
    const saved = { HOME: process.env.HOME, DOCKER_CONFIG: process.env.DOCKER_CONFIG, XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME };
    Object.assign(process.env, { HOME: fakeHome, DOCKER_CONFIG: join(fakeHome, '.docker'), XDG_CONFIG_HOME: join(fakeHome, '.config') });
    try {
      // The same credentials do work when handed over explicitly...
      expect(await skopeoListTags(`${registry.host}/secure/app`, { creds })).toContain('t');
      // ...but are never found on their own.
      await expect(skopeoListTags(`${registry.host}/secure/app`)).rejects.toThrow(/unauthorized|authentication required/i);
      const podman = await createPodman();
      try {
        await expect(podman.pull(`${registry.host}/secure/app:t`)).rejects.toThrow(/unauthorized|authentication required/i);
      } finally {
        await podman.cleanup();
      }
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });

  it('podman login, pull, push and logout', async () => {
    const podman = await createPodman();
    try {
      await expect(podman.pull(`${registry.host}/secure/app:t`)).rejects.toThrow(/unauthorized|authentication required/i);
      await podman.login(registry.host, creds.username, creds.password);
      await podman.pull(`${registry.host}/secure/app:t`);
      await podman.push(`${registry.host}/secure/app:t`, `${registry.host}/secure/app:t2`);
      expect((await skopeoListTags(`${registry.host}/secure/app`, { creds })).sort()).toEqual(['t', 't2']);
      await podman.logout(registry.host);
      await expect(podman.push(`${registry.host}/secure/app:t`, `${registry.host}/secure/app:t3`)).rejects.toThrow(CommandError);
      await podman.push(`${registry.host}/secure/app:t`, `${registry.host}/secure/app:t3`, { creds });
    } finally {
      await podman.cleanup();
    }
  });
});
