import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANIFEST_ACCEPT } from '@berth/oci';
import { skopeoCopy, skopeoInspect, writeImageLayout, writeIndexLayout } from '@berth/testkit';
import { targets, type Target } from './targets.ts';

/** The same image copied into the embedded registry and into distribution is byte-identical in both. */
describe('skopeo copy into the embedded registry and into distribution', () => {
  let embedded: Target;
  let distribution: Target;
  let work: string;
  beforeAll(async () => {
    [embedded, distribution] = await Promise.all(targets.map((f) => f.start())) as [Target, Target];
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-same-digests-'));
  });
  afterAll(async () => {
    await Promise.all([embedded?.stop(), distribution?.stop()]);
    fs.rmSync(work, { recursive: true, force: true });
  });

  const served = async (t: Target, ref: string) => {
    const res = await fetch(`${t.url}/v2/team/app/manifests/${ref}`, { headers: { accept: MANIFEST_ACCEPT } });
    expect(res.status).toBe(200);
    return { digest: res.headers.get('docker-content-digest'), body: Buffer.from(await res.arrayBuffer()) };
  };

  it('gives identical digests for a single image and a multi-arch index', async () => {
    const layout = path.join(work, 'layout');
    await writeImageLayout(layout, { tag: 'single', layers: [{ files: { 'a.txt': 'same bytes\n' } }, { randomBytes: 300_000, seed: 'same' }], config: { os: 'linux', architecture: 'amd64' } });
    await writeIndexLayout(layout, {
      tag: 'multi',
      platforms: [
        { os: 'linux', architecture: 'amd64', layers: [{ files: { 'arch.txt': 'amd64' } }] },
        { os: 'linux', architecture: 'arm64', variant: 'v8', layers: [{ files: { 'arch.txt': 'arm64' } }] },
      ],
    });
    for (const t of [embedded, distribution]) {
      await skopeoCopy(`oci:${layout}:single`, `docker://${t.host}/team/app:single`);
      await skopeoCopy(`oci:${layout}:multi`, `docker://${t.host}/team/app:multi`, { all: true });
    }
    for (const tag of ['single', 'multi']) {
      const [e, d] = await Promise.all([served(embedded, tag), served(distribution, tag)]);
      expect(e.digest).toBe(d.digest);
      expect(e.body.equals(d.body)).toBe(true);
      const [ei, di] = await Promise.all([embedded, distribution].map((t) => skopeoInspect(`docker://${t.host}/team/app:${tag}`, { raw: true })));
      expect(ei).toBe(di);
    }
  });
});
