import { describe, expect, it } from 'vitest';
import type { Store } from '../types.ts';
import { openEach, type OpenStore } from './fixtures.ts';

/** The job queue: dedupe keys, leases, retries. `open` gives a fresh, migrated store for each test. */
export function jobsSuite(label: string, open: OpenStore): void {
  describe(`store jobs: ${label}`, () => {
    let store: Store;
    openEach(open, (s) => (store = s));
    const t = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();

    it('queues once per dedupe key while unfinished', async () => {
      const first = await store.jobs.enqueue({ kind: 'sync', payload: { registry: 'default' }, dedupeKey: 'sync:default' }, t(0));
      expect(first).toMatchObject({ kind: 'sync', status: 'queued', payload: { registry: 'default' } });
      expect(await store.jobs.enqueue({ kind: 'sync', dedupeKey: 'sync:default' }, t(1))).toBeNull();
      const leased = await store.jobs.lease('a', t(2), t(60));
      expect(await store.jobs.finish(leased!.id, 'a', { status: 'done' }, t(3))).toBe(true);
      expect(await store.jobs.enqueue({ kind: 'sync', dedupeKey: 'sync:default' }, t(4))).not.toBeNull();
    });

    it('moves a queued duplicate forward when asked to advance', async () => {
      const later = (await store.jobs.enqueue({ kind: 'sync', dedupeKey: 'sync:x', runAt: t(100) }, t(0)))!;
      const advanced = await store.jobs.enqueue({ kind: 'sync', dedupeKey: 'sync:x', runAt: t(5), advance: true }, t(1));
      expect(advanced?.id).toBe(later.id);
      expect((await store.jobs.get(later.id))?.runAt).toBe(t(5));
      expect(await store.jobs.enqueue({ kind: 'sync', dedupeKey: 'sync:x', runAt: t(50), advance: true }, t(2))).toBeNull();
      expect((await store.jobs.get(later.id))?.runAt).toBe(t(5));
    });

    it('leases a job to one owner and hands it over only when the lease runs out', async () => {
      const job = (await store.jobs.enqueue({ kind: 'gc' }, t(0)))!;
      const a = await store.jobs.lease('a', t(1), t(10));
      expect(a).toMatchObject({ id: job.id, status: 'running', leaseOwner: 'a', attempts: 1 });
      expect(await store.jobs.lease('b', t(5), t(15))).toBeNull();
      expect(await store.jobs.renew(job.id, 'a', t(20), t(6))).toBe(true);
      expect(await store.jobs.lease('b', t(15), t(25))).toBeNull();
      // a crashes: its lease runs out, b takes the job, a can no longer finish it.
      const b = await store.jobs.lease('b', t(21), t(40));
      expect(b).toMatchObject({ id: job.id, leaseOwner: 'b', attempts: 2 });
      expect(await store.jobs.finish(job.id, 'a', { status: 'done' }, t(22))).toBe(false);
      expect(await store.jobs.renew(job.id, 'a', t(50), t(22))).toBe(false);
      expect(await store.jobs.finish(job.id, 'b', { status: 'done' }, t(23))).toBe(true);
      expect((await store.jobs.get(job.id))?.status).toBe('done');
    });

    it('retries a failed job at its retry time, and gives up when told to', async () => {
      const job = (await store.jobs.enqueue({ kind: 'scan', maxAttempts: 2 }, t(0)))!;
      await store.jobs.lease('a', t(1), t(10));
      await store.jobs.finish(job.id, 'a', { status: 'failed', error: 'boom', retryAt: t(30) }, t(2));
      expect(await store.jobs.get(job.id)).toMatchObject({ status: 'queued', lastError: 'boom', runAt: t(30) });
      expect(await store.jobs.lease('a', t(29), t(40))).toBeNull();
      expect(await store.jobs.stats(t(31))).toMatchObject({ queued: 1, running: 0, lagSeconds: 1 });
      await store.jobs.lease('a', t(31), t(40));
      await store.jobs.finish(job.id, 'a', { status: 'failed', error: 'boom again', retryAt: null }, t(32));
      expect(await store.jobs.get(job.id)).toMatchObject({ status: 'failed', attempts: 2 });
    });

    it('never hands one job to two owners leasing at once', async () => {
      for (let i = 0; i < 20; i++) await store.jobs.enqueue({ kind: 'k', payload: i }, t(0));
      const owners = ['a', 'b', 'c', 'd'];
      const taken: number[] = [];
      await Promise.all(
        owners.map(async (owner) => {
          for (;;) {
            const job = await store.jobs.lease(owner, t(1), t(100));
            if (!job) return;
            taken.push(job.id);
            await store.jobs.finish(job.id, owner, { status: 'done' }, t(2));
          }
        }),
      );
      expect(taken).toHaveLength(20);
      expect(new Set(taken).size).toBe(20);
    });
  });
}
