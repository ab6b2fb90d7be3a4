import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { RegistryClient } from '@berth/oci';
import { createSqliteStore, type ManifestPush, type Store } from '@berth/store';
import { Indexer } from './indexer.ts';

const digest = (n: number) => `sha256:${n.toString(16).padStart(64, '0')}`;
const push = (n: number, tag: string): ManifestPush => ({
  repository: 'team',
  image: 'app',
  digest: digest(n),
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  artifactType: null,
  size: 100,
  platforms: [],
  children: [],
  tag,
  at: '2026-01-01T00:00:00.000Z',
  actor: 'tester',
});

describe('Indexer: the status of what is being deleted', () => {
  let store: Store;
  let indexer: Indexer;
  let imageId: number;
  /** Artifacts by digest and tags by name, each with its status; gone ones are absent. */
  const statuses = async () => ({
    artifacts: Object.fromEntries(
      (await store.images.listArtifacts(imageId, { limit: 10, sort: 'pushedAt', order: 'asc' })).items.map((a) => [a.digest, a.status]),
    ),
    tags: Object.fromEntries((await store.images.listTags(imageId, { limit: 10, sort: 'name', order: 'asc' })).items.map((t) => [t.name, t.status])),
  });

  beforeEach(async () => {
    store = createSqliteStore(':memory:');
    await store.migrate();
    await store.repositories.create({ name: 'team', description: '', at: '2026-01-01T00:00:00.000Z', actor: 'a' });
    for (const [n, tag] of [[1, 'v1'], [1, 'v2'], [2, 'v3']] as const) await store.images.recordPush(push(n, tag));
    imageId = (await store.images.get((await store.repositories.id('team'))!, 'app'))!.id;
    // Deletes never read the registry through Berth's own client.
    indexer = new Indexer(store, {} as RegistryClient, pino({ level: 'silent' }));
  });
  afterEach(async () => {
    await store.close();
  });

  it('shows the artifact and its tags Deleting while the registry works on it, then drops them', async () => {
    let during: Awaited<ReturnType<typeof statuses>> | null = null;
    const result = await indexer.deleteManifest('team', 'app', digest(1), async () => {
      during = await statuses();
      return { answer: 'deleted', result: 'the reply' };
    });
    expect(result).toBe('the reply');
    expect(during).toEqual({
      artifacts: { [digest(1)]: 'Deleting', [digest(2)]: 'Active' },
      tags: { v1: 'Deleting', v2: 'Deleting', v3: 'Active' },
    });
    expect(await statuses()).toEqual({ artifacts: { [digest(2)]: 'Active' }, tags: { v3: 'Active' } });
  });

  it('leaves them Inactive when the registry refuses or cannot be reached; a retry that finds it gone drops them', async () => {
    expect(await indexer.deleteManifest('team', 'app', digest(1), async () => ({ answer: 'refused', result: 405 }))).toBe(405);
    const inactive = { artifacts: { [digest(1)]: 'Inactive', [digest(2)]: 'Active' }, tags: { v1: 'Inactive', v2: 'Inactive', v3: 'Active' } };
    expect(await statuses()).toEqual(inactive);

    const down = new Error('the upstream registry is not reachable');
    await expect(indexer.deleteManifest('team', 'app', digest(1), () => Promise.reject(down))).rejects.toBe(down);
    expect(await statuses()).toEqual(inactive);

    await indexer.deleteManifest('team', 'app', digest(1), async () => ({ answer: 'absent', result: 404 }));
    expect(await statuses()).toEqual({ artifacts: { [digest(2)]: 'Active' }, tags: { v3: 'Active' } });
    expect(await store.images.get((await store.repositories.id('team'))!, 'app')).toMatchObject({ artifactCount: 1, tagCount: 1 });
  });

  it('marks just the tag deleted: Deleting, then Inactive when refused, gone when deleted', async () => {
    let during: Awaited<ReturnType<typeof statuses>> | null = null;
    await indexer.deleteTag('team', 'app', 'v1', async () => {
      during = await statuses();
      return { answer: 'refused', result: 400 };
    });
    expect(during).toEqual({ artifacts: { [digest(1)]: 'Active', [digest(2)]: 'Active' }, tags: { v1: 'Deleting', v2: 'Active', v3: 'Active' } });
    expect((await statuses()).tags).toEqual({ v1: 'Inactive', v2: 'Active', v3: 'Active' });

    await indexer.deleteTag('team', 'app', 'v1', async () => ({ answer: 'deleted', result: 202 }));
    expect(await statuses()).toEqual({ artifacts: { [digest(1)]: 'Active', [digest(2)]: 'Active' }, tags: { v2: 'Active', v3: 'Active' } });
  });
});
