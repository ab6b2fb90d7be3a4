import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { DeleteAnswer, RegistryClient } from '@berth/oci';
import { createSqliteStore, type ManifestPush, type Store } from '@berth/store';
import { DeleteRefused, DeleteService, safeOrder, type ImageRef } from './deletes.ts';

const digest = (n: number) => `sha256:${n.toString(16).padStart(64, '0')}`;
const push = (n: number, tag: string | null, more: Partial<ManifestPush> = {}): ManifestPush => ({
  repository: 'team',
  image: 'app',
  digest: digest(n),
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  artifactType: null,
  size: 100,
  platforms: [],
  children: [],
  subject: null,
  tag,
  at: '2026-01-01T00:00:00.000Z',
  actor: 'tester',
  ...more,
});
const who = { actor: 'admin', via: 'api' as const };

/** A registry that answers deletes as told, and remembers what it was asked (the real ones are tested in the integration suites). */
function fakeRegistry() {
  const asked: string[] = [];
  let answer: (ref: string) => Promise<DeleteAnswer> = async () => ({ answer: 'deleted', status: 202 });
  const registry = {
    deleteManifest: (name: string, ref: string) => (asked.push(ref), answer(ref)),
    deleteTag: async (name: string, tag: string) => ({ ...(await (asked.push(tag), answer(tag))), technique: 'tag-delete' as const }),
  } as unknown as RegistryClient;
  return { registry, asked, answer: (fn: typeof answer) => (answer = fn) };
}

describe('DeleteService: what is being deleted, and the index kept in step with the registry', () => {
  let store: Store;
  let fake: ReturnType<typeof fakeRegistry>;
  let deletes: DeleteService;
  let ref: () => Promise<ImageRef>;
  /** Artifacts by digest and tags by name, each with its status; gone ones are absent. */
  const statuses = async () => {
    const { record } = await ref();
    return {
      artifacts: Object.fromEntries((await store.images.listArtifacts(record.id, { limit: 10, sort: 'pushedAt', order: 'asc' })).items.map((a) => [a.digest, a.status])),
      tags: Object.fromEntries((await store.images.listTags(record.id, { limit: 10, sort: 'name', order: 'asc' })).items.map((t) => [t.name, t.status])),
    };
  };

  beforeEach(async () => {
    store = createSqliteStore(':memory:');
    await store.migrate();
    await store.repositories.create({ name: 'team', description: '', at: '2026-01-01T00:00:00.000Z', actor: 'a' });
    for (const [n, tag] of [[1, 'v1'], [1, 'v2'], [2, 'v3']] as const) await store.images.recordPush(push(n, tag));
    fake = fakeRegistry();
    deletes = new DeleteService(store, fake.registry, pino({ level: 'silent' }));
    ref = async () => {
      const record = (await store.images.get((await store.repositories.id('team'))!, 'app'))!;
      return { repository: 'team', image: 'app', record };
    };
  });
  afterEach(async () => {
    await store.close();
  });

  it('shows the artifact and its tags Deleting while the registry works on it, then drops them', async () => {
    let during: Awaited<ReturnType<typeof statuses>> | null = null;
    fake.answer(async () => {
      during = await statuses();
      return { answer: 'deleted', status: 202 };
    });
    const result = await deletes.deleteArtifact(who, await ref(), digest(1));
    expect(result.results).toEqual([{ digest: digest(1), tags: ['v1', 'v2'], outcome: 'deleted' }]);
    expect(during).toEqual({ artifacts: { [digest(1)]: 'Deleting', [digest(2)]: 'Active' }, tags: { v1: 'Deleting', v2: 'Deleting', v3: 'Active' } });
    expect(await statuses()).toEqual({ artifacts: { [digest(2)]: 'Active' }, tags: { v3: 'Active' } });
  });

  it('leaves them Inactive when the registry refuses or cannot be reached; a retry that finds it gone drops them', async () => {
    fake.answer(async () => ({ answer: 'refused', status: 405, code: 'UNSUPPORTED' }));
    const refused = await deletes.deleteArtifact(who, await ref(), digest(1));
    expect(refused.results[0]).toMatchObject({ outcome: 'refused', registry: { status: 405, code: 'UNSUPPORTED' } });
    const inactive = { artifacts: { [digest(1)]: 'Inactive', [digest(2)]: 'Active' }, tags: { v1: 'Inactive', v2: 'Inactive', v3: 'Active' } };
    expect(await statuses()).toEqual(inactive);

    fake.answer(() => Promise.reject(new Error('the upstream registry is not reachable')));
    expect((await deletes.deleteArtifact(who, await ref(), digest(1))).results[0]!.outcome).toBe('refused');
    expect(await statuses()).toEqual(inactive);

    fake.answer(async () => ({ answer: 'absent', status: 404 }));
    expect((await deletes.deleteArtifact(who, await ref(), digest(1))).results[0]!.outcome).toBe('absent');
    expect(await statuses()).toEqual({ artifacts: { [digest(2)]: 'Active' }, tags: { v3: 'Active' } });
    expect((await ref()).record).toMatchObject({ artifactCount: 1, tagCount: 1 });
  });

  it('puts everything back as it was when the registry refuses the connection (it is down): nothing was deleted', async () => {
    const down = () => Promise.reject(new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }) }));
    await store.images.setTagStatus({ repository: 'team', image: 'app', tag: 'v2', status: 'Inactive' });
    const before = { artifacts: { [digest(1)]: 'Active', [digest(2)]: 'Active' }, tags: { v1: 'Active', v2: 'Inactive', v3: 'Active' } };
    expect(await statuses()).toEqual(before);
    fake.answer(down);

    const artifact = (await deletes.deleteArtifact(who, await ref(), digest(1))).results[0]!;
    expect(artifact).toMatchObject({ outcome: 'refused', registry: { status: 502 }, message: expect.stringMatching(/could not be reached.*nothing was deleted/) });
    expect(await statuses()).toEqual(before);
    expect((await deletes.deleteTag(who, await ref(), 'v2')).outcome).toBe('refused');
    expect((await deletes.deleteTag(who, await ref(), 'v3')).outcome).toBe('refused');
    expect(await statuses()).toEqual(before);
    expect((await deletes.deleteImage(who, await ref())).results.map((r) => r.outcome)).toEqual(['refused', 'refused']);
    expect(await statuses()).toEqual(before);
    expect((await ref()).record.status).toBe('Active');

    // Back up: the same deletes go through.
    fake.answer(async () => ({ answer: 'deleted', status: 202 }));
    expect((await deletes.deleteArtifact(who, await ref(), digest(1))).results[0]!.outcome).toBe('deleted');
    expect(await statuses()).toEqual({ artifacts: { [digest(2)]: 'Active' }, tags: { v3: 'Active' } });
  });

  it('deletes just the tag: Deleting, then Inactive when refused, gone when deleted; the digest and its other tag stay', async () => {
    let during: Awaited<ReturnType<typeof statuses>> | null = null;
    fake.answer(async () => {
      during = await statuses();
      return { answer: 'refused', status: 400, code: 'DIGEST_INVALID' };
    });
    expect((await deletes.deleteTag(who, await ref(), 'v1')).outcome).toBe('refused');
    expect(during).toEqual({ artifacts: { [digest(1)]: 'Active', [digest(2)]: 'Active' }, tags: { v1: 'Deleting', v2: 'Active', v3: 'Active' } });
    expect((await statuses()).tags).toEqual({ v1: 'Inactive', v2: 'Active', v3: 'Active' });

    fake.answer(async () => ({ answer: 'deleted', status: 202 }));
    expect(await deletes.deleteTag(who, await ref(), 'v1')).toEqual({ tag: 'v1', outcome: 'deleted' });
    expect(await statuses()).toEqual({ artifacts: { [digest(1)]: 'Active', [digest(2)]: 'Active' }, tags: { v2: 'Active', v3: 'Active' } });
  });

  it('refuses to start a delete of what is being deleted already', async () => {
    await store.images.setTagStatus({ repository: 'team', image: 'app', tag: 'v3', status: 'Deleting' });
    await expect(deletes.deleteTag(who, await ref(), 'v3')).rejects.toMatchObject({ kind: 'busy' });
    await store.images.setArtifactStatus({ repository: 'team', image: 'app', digest: digest(1), status: 'Deleting' });
    await expect(deletes.deleteArtifact(who, await ref(), digest(1))).rejects.toMatchObject({ kind: 'busy' });
    expect(fake.asked).toEqual([]);
  });

  it('refuses a locked tag, an artifact carrying one, and everything of a locked image, asking the registry nothing', async () => {
    const image = await ref();
    await store.locks.setTag(image.record.id, 'v2', true);
    await expect(deletes.deleteTag(who, image, 'v2')).rejects.toMatchObject({ kind: 'locked', message: 'tag v2 of team/app is locked', details: { locked: 'tag', tag: 'v2' } });
    await expect(deletes.deleteArtifact(who, image, digest(1))).rejects.toThrow(/tag v2 of team\/app is locked/);
    await expect(deletes.deleteImage(who, image)).rejects.toThrow(/tag v2 of team\/app is locked/);
    await store.locks.setImage(image.record.id, true, '2026-01-02T00:00:00.000Z', 'admin');
    await expect(deletes.deleteTag(who, image, 'v3')).rejects.toThrow(/image team\/app is locked/);
    await expect(deletes.deleteArtifact(who, image, digest(2))).rejects.toThrow(/image team\/app is locked/);
    expect(fake.asked).toEqual([]);
    expect(await statuses()).toEqual({ artifacts: { [digest(1)]: 'Active', [digest(2)]: 'Active' }, tags: { v1: 'Active', v2: 'Active', v3: 'Active' } });
  });

  it('refuses an artifact that an index or a signature that stays references, naming it; an index goes with its untagged children', async () => {
    const child = { digest: digest(11), mediaType: 'application/vnd.oci.image.manifest.v1+json', size: 50, platform: null };
    await store.images.recordPush(push(11, null, { size: 50 }));
    await store.images.recordPush(push(10, 'multi', { mediaType: 'application/vnd.oci.image.index.v1+json', size: 60, children: [child] }));
    await store.images.recordPush(push(20, null, { subject: digest(2), artifactType: 'application/vnd.dev.cosign.artifact.sig.v1+json' }));
    const image = await ref();

    const listed = await deletes.deleteArtifact(who, image, digest(11)).catch((e: unknown) => e);
    expect(listed).toBeInstanceOf(DeleteRefused);
    expect(listed).toMatchObject({ kind: 'referenced', details: { referrer: digest(10), kind: 'index-child' } });
    await expect(deletes.deleteArtifact(who, image, digest(2))).rejects.toMatchObject({ kind: 'referenced', details: { referrer: digest(20), kind: 'subject' } });
    expect(fake.asked).toEqual([]);

    const index = await deletes.deleteArtifact(who, image, digest(10));
    expect(index.results.map((r) => [r.digest, r.outcome])).toEqual([[digest(10), 'deleted'], [digest(11), 'deleted']]);
    expect(fake.asked).toEqual([digest(10), digest(11)]);
  });

  it('keeps what a refused index lists: its children stay with it', async () => {
    const child = { digest: digest(11), mediaType: 'application/vnd.oci.image.manifest.v1+json', size: 50, platform: null };
    await store.images.recordPush(push(11, null, { size: 50 }));
    await store.images.recordPush(push(10, 'multi', { mediaType: 'application/vnd.oci.image.index.v1+json', size: 60, children: [child] }));
    fake.answer(async (ref) => (ref === digest(10) ? { answer: 'refused', status: 500 } : { answer: 'deleted', status: 202 }));
    const result = await deletes.deleteArtifact(who, await ref(), digest(10));
    expect(result.results.map((r) => [r.digest, r.outcome])).toEqual([[digest(10), 'refused'], [digest(11), 'refused']]);
    expect(result.results[1]!.message).toMatch(/kept: .* references it/);
    expect(fake.asked).toEqual([digest(10)]);
    expect((await store.images.getArtifact((await ref()).record.id, digest(11)))!.status).toBe('Active');
  });

  it('leaves alone an artifact that was locked or tagged after it was chosen (a policy run deletes nothing it did not list)', async () => {
    const image = await ref();
    const chosen = await store.images.graph(image.record.id);
    // After the choice: a push moves tag v3 onto digest 1, and v2 gets locked.
    await store.images.recordPush(push(1, 'v3'));
    const stale = chosen.filter((a) => a.digest === digest(1));
    const moved = await deletes.removeArtifacts(who, image, stale);
    expect(moved.results[0]).toMatchObject({ outcome: 'refused', message: expect.stringMatching(/tags changed since it was chosen/) });
    await store.locks.setTag(image.record.id, 'v2', true);
    const fresh = (await store.images.graph(image.record.id)).filter((a) => a.digest === digest(1));
    await store.locks.setImage(image.record.id, true, '2026-01-02T00:00:00.000Z', 'admin');
    const locked = await deletes.removeArtifacts(who, image, fresh);
    expect(locked.results[0]).toMatchObject({ outcome: 'refused', message: 'image team/app is locked' });
    expect(fake.asked).toEqual([]);
    expect(await statuses()).toEqual({ artifacts: { [digest(1)]: 'Active', [digest(2)]: 'Active' }, tags: { v1: 'Active', v2: 'Active', v3: 'Active' } });
    // Nothing was audited for deletes that did not start.
    const audit = await (store as unknown as { db: { selectFrom: (t: string) => { selectAll: () => { execute: () => Promise<unknown[]> } } } }).db.selectFrom('audit_log').selectAll().execute();
    expect(audit).toEqual([]);
  });

  it('deletes a whole image, referrers before their subjects, and then the image itself', async () => {
    await store.images.recordPush(push(20, null, { subject: digest(2) }));
    const result = await deletes.deleteImage(who, await ref());
    expect(result.results.every((r) => r.outcome === 'deleted')).toBe(true);
    expect(fake.asked.indexOf(digest(20))).toBeLessThan(fake.asked.indexOf(digest(2)));
    expect(await store.images.get((await store.repositories.id('team'))!, 'app')).toBeNull();
  });

  it('deletes up to 50 tags one by one: a refused one is Inactive, the others go, nothing else changes', async () => {
    fake.answer(async (tag) => (tag === 'v2' ? { answer: 'refused', status: 500 } : { answer: 'deleted', status: 202 }));
    const { results } = await deletes.deleteTags(who, await ref(), ['v1', 'v2', 'nope']);
    expect(results.map((r) => [r.tag, r.outcome])).toEqual([['v1', 'deleted'], ['v2', 'refused'], ['nope', 'absent']]);
    expect(await statuses()).toEqual({ artifacts: { [digest(1)]: 'Active', [digest(2)]: 'Active' }, tags: { v2: 'Inactive', v3: 'Active' } });
    expect((await ref()).record.status).toBe('Active');
  });
});

describe('safeOrder', () => {
  const a = (n: number, children: number[] = [], subject: number | null = null) => ({
    digest: digest(n),
    size: 1,
    pushedAt: '',
    pulledAt: null,
    tags: [],
    children: children.map(digest),
    subject: subject === null ? null : digest(subject),
  });
  it.each([
    ['an index before its children', [a(2), a(3), a(1, [2, 3])], [1, 2, 3]],
    ['an index of indexes from the top down', [a(3), a(2, [3]), a(1, [2])], [1, 2, 3]],
    ['a signature before its subject', [a(1), a(2, [], 1)], [2, 1]],
    ['a signature of an index before the index and its child', [a(3), a(1, [3]), a(2, [], 1)], [2, 1, 3]],
    ['references outside the set ignored', [a(1, [9]), a(2, [], 8)], [1, 2]],
  ])('puts %s', (_name, input, order) => {
    expect(safeOrder(input).map((x) => x.digest)).toEqual(order.map(digest));
  });
});
