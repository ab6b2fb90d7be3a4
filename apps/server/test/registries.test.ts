import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registry as registrySchema, registryDetail, type Registry, type RegistryDetail, type SyncResult } from '@berth/api';
import { startBerth, startUpstream, type RunningBerth, type Upstream } from './harness.ts';

const basic = (username: string, password: string) => `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

/** The registries API the console's Registries pages read: the list, one registry, and who may act on it. */
describe('registries API', () => {
  let upstream: Upstream;
  let berth: RunningBerth;
  const viewer = basic('registry-viewer', 'viewer-password-1');
  beforeAll(async () => {
    upstream = await startUpstream();
    // Berth's own upstream credentials must never reach a console user.
    berth = await startBerth(upstream.url, { env: { BERTH_UPSTREAM_USERNAME: 'berth-upstream', BERTH_UPSTREAM_PASSWORD: 'upstream-secret-pw' } });
    expect((await berth.api('POST', '/accounts', { username: 'registry-viewer', password: 'viewer-password-1', role: 'viewer' })).status).toBe(201);
  });
  afterAll(async () => {
    await berth?.stop();
    await upstream?.stop();
  });

  it('GET /registries/{name}: the managed registry, as the list shows it, without credentials', async () => {
    const list = await berth.api<{ items: Registry[]; nextCursor: string | null }>('GET', '/registries');
    expect(list.status).toBe(200);
    expect(list.body.nextCursor).toBeNull();
    const one = await berth.api<RegistryDetail>('GET', '/registries/default', undefined, viewer);
    expect(one.status).toBe(200);
    // Exactly the contract's fields: nothing else (no credentials) rides along.
    const managed = {
      name: 'default',
      kind: 'managed',
      type: 'managed',
      url: upstream.url,
      publicHost: `localhost:${berth.port}`,
      engine: 'upstream',
      mode: 'read-write',
      capabilities: ['browse', 'pull', 'push', 'delete', 'sync'],
      repository: null,
      username: null,
      insecure: false,
      lastTest: null,
      repositoryCount: 0,
      createdAt: expect.any(String),
      createdBy: 'system',
      updatedAt: expect.any(String),
      updatedBy: 'system',
    };
    expect(list.body.items.map((r) => registrySchema.strict().parse(r))).toEqual([managed]);
    // One registry adds its last sync and garbage collection: none yet (no sync on start here).
    expect(registryDetail.strict().parse(one.body)).toEqual({ ...managed, lastSync: null, lastGc: null });
    for (const body of [JSON.stringify(list.body), JSON.stringify(one.body)]) {
      expect(body).not.toContain('upstream-secret-pw');
      expect(body).not.toContain('berth-upstream');
    }
  });

  it('answers 404 REGISTRY_NOT_FOUND for an unknown name, and 401 without a session', async () => {
    const unknown = await berth.api<{ error: { code: string; message: string } }>('GET', '/registries/elsewhere');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toEqual({ code: 'REGISTRY_NOT_FOUND', message: 'registry elsewhere does not exist' });
    expect((await fetch(`${berth.url}/api/v1/registries/default`)).status).toBe(401);
  });

  it('lets a viewer read but not sync or collect; an unknown registry is 404 for an admin', async () => {
    for (const action of ['sync', 'gc']) {
      const byViewer = await berth.api<{ error: { code: string } }>('POST', `/registries/default/${action}`, {}, viewer);
      expect(byViewer.status).toBe(403);
      expect(byViewer.body.error.code).toBe('FORBIDDEN');
      const unknown = await berth.api<{ error: { code: string } }>('POST', `/registries/elsewhere/${action}`, {});
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.code).toBe('REGISTRY_NOT_FOUND');
    }
  });

  it('keeps the last sync, who ran it and what it did, for every instance and across a restart', async () => {
    const before = new Date().toISOString();
    const sync = await berth.api<SyncResult>('POST', '/registries/default/sync');
    expect(sync.status).toBe(200);
    const seen = (await berth.api<RegistryDetail>('GET', '/registries/default', undefined, viewer)).body;
    expect(seen.lastSync).toMatchObject({ by: 'admin', result: sync.body });
    expect(seen.lastSync!.at >= before).toBe(true);
    expect(seen.lastGc).toBeNull();
    berth = await berth.restart();
    expect((await berth.api<RegistryDetail>('GET', '/registries/default')).body.lastSync).toEqual(seen.lastSync);
  });

  it('refuses garbage collection on a registry Berth only fronts (409 REGISTRY_UNSUPPORTED)', async () => {
    const res = await berth.api<{ error: { code: string } }>('POST', '/registries/default/gc', {});
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('REGISTRY_UNSUPPORTED');
  });
});
