import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createSqliteStore, type KyselyStore } from '@berth/store';
import { JobWorker } from './worker.ts';

const log = pino({ level: 'silent' });

describe('JobWorker', () => {
  const stores: KyselyStore[] = [];
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
  });

  /** Two stores on one database file: two Berth instances sharing a store. */
  async function twoInstances() {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'berth-jobs-')), 'berth.db');
    const a = createSqliteStore(file);
    await a.migrate();
    const b = createSqliteStore(file);
    stores.push(a, b);
    return [a, b] as const;
  }

  it('runs every job exactly once across two instances', async () => {
    const [a, b] = await twoInstances();
    for (let i = 0; i < 12; i++) await a.jobs.enqueue({ kind: 'count', payload: i }, new Date().toISOString());
    const ran: number[] = [];
    const handler = async (payload: unknown) => {
      ran.push(payload as number);
    };
    const workers = [a, b].map((s) => new JobWorker(s, { count: handler }, log, { pollMs: 10, leaseMs: 5_000 }));
    while (ran.length < 12) {
      const worked = await Promise.all(workers.map((w) => w.tick()));
      if (!worked.some(Boolean)) break;
    }
    expect(ran.sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it('retries a job whose instance died mid-run once its lease runs out', async () => {
    const [a, b] = await twoInstances();
    const job = (await a.jobs.enqueue({ kind: 'sync' }, new Date().toISOString()))!;
    // Instance A leases the job and dies before finishing (it never renews or finishes).
    const crashed = await a.jobs.lease('instance-a', new Date().toISOString(), new Date(Date.now() + 200).toISOString());
    expect(crashed?.id).toBe(job.id);
    const runs: string[] = [];
    const worker = new JobWorker(b, { sync: async () => void runs.push('b') }, log, { pollMs: 10, leaseMs: 5_000 });
    expect(await worker.tick()).toBe(false);
    await new Promise((r) => setTimeout(r, 250));
    expect(await worker.tick()).toBe(true);
    expect(runs).toEqual(['b']);
    expect(await b.jobs.get(job.id)).toMatchObject({ status: 'done', attempts: 2 });
  });

  it('retries a failing job with backoff and records the error', async () => {
    const [a] = await twoInstances();
    const job = (await a.jobs.enqueue({ kind: 'flaky', maxAttempts: 2 }, new Date().toISOString()))!;
    let calls = 0;
    const worker = new JobWorker(
      a,
      {
        flaky: async () => {
          calls += 1;
          if (calls === 1) throw new Error('upstream not reachable');
        },
      },
      log,
      { pollMs: 10, leaseMs: 5_000, retryBaseMs: 50 },
    );
    await worker.tick();
    expect(await a.jobs.get(job.id)).toMatchObject({ status: 'queued', lastError: 'upstream not reachable' });
    expect(await worker.tick()).toBe(false);
    await new Promise((r) => setTimeout(r, 80));
    expect(await worker.tick()).toBe(true);
    expect(await a.jobs.get(job.id)).toMatchObject({ status: 'done', attempts: 2 });
  });
});
