import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Artifact, Image, ImageConfigSummary, Page } from '@berth/api';
import { skopeoCopy, skopeoInspect, writeImageLayout, writeIndexLayout } from '@berth/testkit';
import { eventually, repositoryWithUser, startBerth, type RunningBerth, startUpstream, type Upstream } from './harness.ts';

const sha256 = (bytes: Uint8Array) => `sha256:${crypto.createHash('sha256').update(bytes).digest('hex')}`;

describe('manifests and image configs through the API', () => {
  let registry: Upstream;
  let berth: RunningBerth;
  let pushSecret: string;
  let work: string;
  let single: Awaited<ReturnType<typeof writeImageLayout>>;
  let multi: Awaited<ReturnType<typeof writeIndexLayout>>;
  const upstreamRef = (image: string, ref: string) => `docker://${new URL(registry.url).host}/team/${image}${ref.startsWith('sha256:') ? '@' : ':'}${ref}`;
  const manifestPath = (image: string, ref: string) => `/repositories/team/images/${encodeURIComponent(image)}/manifests/${ref}`;
  const raw = (p: string) => fetch(`${berth.url}/api/v1${p}`, { headers: { authorization: `Basic ${Buffer.from('admin:integration-admin-pw').toString('base64')}` } });
  const counts = async (image: string) => {
    const img = await berth.api<Image>('GET', `/repositories/team/images/${encodeURIComponent(image)}`);
    const arts = await berth.api<Page<Artifact>>('GET', `/repositories/team/images/${encodeURIComponent(image)}/artifacts`);
    return { image: img.body.pullCount, artifacts: arts.body.items.map((a) => a.pullCount) };
  };

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-manifests-'));
    registry = await startUpstream();
    berth = await startBerth(registry.url);
    pushSecret = await repositoryWithUser(berth, 'team', 'ci', 'push');
    const creds = { username: 'team', password: pushSecret };
    single = await writeImageLayout(path.join(work, 'single'), {
      tag: '1.0',
      layers: [{ files: { 'a.txt': 'a' } }, { randomBytes: 50_000, seed: 'manifests' }],
      config: {
        os: 'linux',
        architecture: 'amd64',
        entrypoint: ['/bin/app'],
        cmd: ['--serve'],
        env: ['PATH=/usr/bin', 'DB_PASSWORD=hunter2', 'API_TOKEN=abc'],
        labels: { 'org.opencontainers.image.source': 'https://example.com/app' },
      },
    });
    await skopeoCopy(`oci:${path.join(work, 'single')}:1.0`, `docker://${berth.host}/team/apps/web:1.0`, { destCreds: creds });
    multi = await writeIndexLayout(path.join(work, 'multi'), {
      tag: 'multi',
      platforms: [
        { os: 'linux', architecture: 'amd64', layers: [{ files: { 'x.txt': 'amd64' } }] },
        { os: 'linux', architecture: 'arm64', variant: 'v8', layers: [{ files: { 'x.txt': 'arm64' } }] },
      ],
    });
    await skopeoCopy(`oci:${path.join(work, 'multi')}:multi`, `docker://${berth.host}/team/multi:multi`, { destCreds: creds, all: true });
  });

  afterAll(async () => {
    await berth?.stop();
    await registry?.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('serves the manifest bytes skopeo inspect --raw gets, by tag and by digest, with media type and digest', async () => {
    const expected = Buffer.from(await skopeoInspect(upstreamRef('apps/web', '1.0'), { raw: true }));
    for (const ref of ['1.0', single.manifestDigest]) {
      const res = await raw(manifestPath('apps/web', ref));
      expect(res.status).toBe(200);
      const body = new Uint8Array(await res.arrayBuffer());
      expect(Buffer.from(body).equals(expected)).toBe(true);
      expect(res.headers.get('content-type')).toBe('application/vnd.oci.image.manifest.v1+json');
      expect(res.headers.get('docker-content-digest')).toBe(single.manifestDigest);
      expect(sha256(body)).toBe(single.manifestDigest);
    }
  });

  it('serves an index as the registry does', async () => {
    const expected = Buffer.from(await skopeoInspect(upstreamRef('multi', 'multi'), { raw: true }));
    const res = await raw(manifestPath('multi', 'multi'));
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(expected)).toBe(true);
    expect(res.headers.get('content-type')).toBe('application/vnd.oci.image.index.v1+json');
    expect(res.headers.get('docker-content-digest')).toBe(multi.indexDigest);
  });

  it('summarizes the config: platform, entrypoint, labels, layers; secret-looking env values never leave', async () => {
    const res = await berth.api<ImageConfigSummary>('GET', `${manifestPath('apps/web', '1.0')}/config`);
    expect(res.status).toBe(200);
    const config = (await skopeoInspect(upstreamRef('apps/web', '1.0'), { config: true })) as { created: string };
    expect(res.body).toMatchObject({
      manifestDigest: single.manifestDigest,
      config: { digest: single.configDigest, size: single.configSize },
      created: config.created,
      os: 'linux',
      architecture: 'amd64',
      entrypoint: ['/bin/app'],
      cmd: ['--serve'],
      labels: { 'org.opencontainers.image.source': 'https://example.com/app' },
      env: [
        { name: 'PATH', value: '/usr/bin', masked: false },
        { name: 'DB_PASSWORD', value: null, masked: true },
        { name: 'API_TOKEN', value: null, masked: true },
      ],
    });
    expect(res.body.layers.map((l) => [l.digest, l.size])).toEqual(single.layers.map((l) => [l.digest, l.size]));
    expect(JSON.stringify(res.body)).not.toContain('hunter2');

    const child = multi.children[1]!;
    const childConfig = await berth.api<ImageConfigSummary>('GET', `${manifestPath('multi', child.manifestDigest)}/config`);
    expect(childConfig.body).toMatchObject({ os: 'linux', architecture: 'arm64', variant: 'v8' });
  });

  it('answers 404 codes for an unknown image or reference, 404 for an index config, 400 for a bad reference', async () => {
    const cases: [string, number, string][] = [
      [manifestPath('no/such', '1.0'), 404, 'IMAGE_NOT_FOUND'],
      [manifestPath('apps/web', 'nope'), 404, 'MANIFEST_NOT_FOUND'],
      [manifestPath('apps/web', `sha256:${'0'.repeat(64)}`), 404, 'MANIFEST_NOT_FOUND'],
      [`${manifestPath('apps/web', 'nope')}/config`, 404, 'MANIFEST_NOT_FOUND'],
      [`${manifestPath('multi', 'multi')}/config`, 404, 'CONFIG_NOT_FOUND'],
      [manifestPath('apps/web', 'sha256:short'), 400, 'BAD_REQUEST'],
      ['/repositories/nope/images/web/manifests/1.0', 404, 'REPOSITORY_NOT_FOUND'],
    ];
    for (const [p, status, code] of cases) {
      const res = await berth.api<{ error: { code: string } }>('GET', p);
      expect([p, res.status, res.body.error.code]).toEqual([p, status, code]);
    }
  });

  it('needs authentication like every /api route; a viewer may read', async () => {
    const res = await fetch(`${berth.url}/api/v1${manifestPath('apps/web', '1.0')}`);
    expect(res.status).toBe(401);
    const config = await fetch(`${berth.url}/api/v1${manifestPath('apps/web', '1.0')}/config`);
    expect(config.status).toBe(401);
    // A repository user's secret is for /v2, not for the API.
    const robot = `Basic ${Buffer.from(`team:${pushSecret}`).toString('base64')}`;
    expect((await berth.api('GET', manifestPath('apps/web', '1.0'), undefined, robot)).status).toBe(401);

    expect((await berth.api('POST', '/accounts', { username: 'reader', password: 'reader-password-1', role: 'viewer' })).status).toBe(201);
    const viewer = `Basic ${Buffer.from('reader:reader-password-1').toString('base64')}`;
    const read = await fetch(`${berth.url}/api/v1${manifestPath('apps/web', '1.0')}`, { headers: { authorization: viewer } });
    expect(read.status).toBe(200);
    expect(sha256(new Uint8Array(await read.arrayBuffer()))).toBe(single.manifestDigest);
    expect((await berth.api('GET', `${manifestPath('apps/web', '1.0')}/config`, undefined, viewer)).status).toBe(200);
  });

  it('is not a pull: pull counts stay as they were, while a real pull still counts', async () => {
    const before = await counts('apps/web');
    for (let i = 0; i < 3; i++) {
      expect((await raw(manifestPath('apps/web', '1.0'))).status).toBe(200);
      expect((await berth.api('GET', `${manifestPath('apps/web', single.manifestDigest)}/config`)).status).toBe(200);
    }
    await berth.pulls.flush();
    await new Promise((r) => setTimeout(r, 300));
    expect(await counts('apps/web')).toEqual(before);

    await skopeoInspect(`docker://${berth.host}/team/apps/web:1.0`, { creds: { username: 'team', password: pushSecret } });
    await eventually(async () => expect((await counts('apps/web')).image).toBe(before.image + 1));
  });
});
