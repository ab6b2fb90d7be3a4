import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Request, Response } from 'express';
import { parseV2Path, sha256Digest, type V2ImageTarget } from '@berth/oci';
import { createSqliteStore, type Store } from '@berth/store';
import type { V2Context } from '../context.ts';
import { notBeingDeleted } from './deleting.ts';

describe('checks/deleting: no push lands on what is being deleted', () => {
  let store: Store;
  const body = Buffer.from('{"schemaVersion":2}');
  const digest = sha256Digest(body);
  const ctx = (method: string, path: string): V2Context =>
    ({ req: { method } as Request, res: {} as Response, caller: { via: 'anonymous' }, target: parseV2Path(path, 2) as V2ImageTarget, body: async () => body, identity: undefined }) as unknown as V2Context;

  beforeEach(async () => {
    store = createSqliteStore(':memory:');
    await store.migrate();
    await store.repositories.create({ name: 'team', description: '', at: '2026-01-01T00:00:00.000Z', actor: 'a' });
    const push = { repository: 'team', image: 'app', mediaType: 'application/vnd.oci.image.manifest.v1+json', artifactType: null, size: 1, platforms: [], children: [], subject: null, at: '2026-01-01T00:00:00.000Z', actor: 'a' };
    await store.images.recordPush({ ...push, digest, tag: 'v1' });
    await store.images.recordPush({ ...push, digest: `sha256:${'b'.repeat(64)}`, tag: 'v2' });
  });
  afterEach(async () => {
    await store.close();
  });

  it('lets pushes through while nothing is being deleted', async () => {
    expect(await notBeingDeleted(store)(ctx('PUT', '/v2/team/app/manifests/v3'))).toBeNull();
    expect(await notBeingDeleted(store)(ctx('PUT', '/v2/team/other/manifests/v1'))).toBeNull();
  });

  it('refuses a push of a digest that is being deleted, by tag or by digest, and one onto a tag being deleted', async () => {
    await store.images.setArtifactStatus({ repository: 'team', image: 'app', digest, status: 'Deleting' });
    for (const path of ['/v2/team/app/manifests/v9', `/v2/team/app/manifests/${digest}`]) {
      const refused = await notBeingDeleted(store)(ctx('PUT', path));
      expect(refused).toMatchObject({ code: 'DENIED', message: `${digest} of team/app is being deleted; push again once that is done` });
    }
    await store.images.setArtifactStatus({ repository: 'team', image: 'app', digest, status: 'Active' });
    await store.images.setTagStatus({ repository: 'team', image: 'app', tag: 'v2', status: 'Deleting' });
    expect(await notBeingDeleted(store)(ctx('PUT', '/v2/team/app/manifests/v2'))).toMatchObject({ code: 'DENIED', message: expect.stringMatching(/tag v2 of team\/app is being deleted/) });
    // Reads and deletes are not this check's business.
    expect(await notBeingDeleted(store)(ctx('GET', '/v2/team/app/manifests/v2'))).toBeNull();
  });
});
