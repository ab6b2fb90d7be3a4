import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Artifact, Image, Page, Repository, RepositoryUser, Tag } from '@berth/api';
import { pino } from 'pino';
import { skopeoCopy, writeImageLayout, type ImageLayout } from '@berth/testkit';
import { repositoryWithUser, startBerth, startUpstream, type RunningBerth, type Upstream } from './harness.ts';

const IMAGES = 5;

/** What one of the concurrent requests got back. */
interface Answer {
  label: string;
  status: number;
  body: unknown;
}

/**
 * 200 API requests at once — lists of repositories, images, artifacts and tags, and
 * writes among them (new repositories, image descriptions, repository users) — on the store
 * this run uses (SQLite, or PostgreSQL with BERTH_TEST_DB=postgres): every one answers
 * correctly, none fails on a busy database or an exhausted pool, and what was written is all
 * there afterwards, exactly once.
 */
describe('faults: 200 concurrent API requests', () => {
  let work: string;
  let registry: Upstream;
  let berth: RunningBerth;
  const layouts: ImageLayout[] = [];
  /** Every error Berth logged while the requests ran. */
  const errors: string[] = [];

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-faults-concurrency-'));
    registry = await startUpstream();
    const logger = pino(
      { level: 'error' },
      {
        write: (line: string) => {
          errors.push(line);
        },
      },
    );
    berth = await startBerth(registry.url, { logger });
    const secret = await repositoryWithUser(berth, 'busy', 'ci', 'push');
    for (let i = 0; i < IMAGES; i++) {
      const dir = path.join(work, `app-${i}`);
      layouts.push(await writeImageLayout(dir, { tag: 'v1', layers: [{ files: { [`app-${i}.txt`]: `image ${i}\n` } }] }));
      await skopeoCopy(`oci:${dir}:v1`, `docker://${berth.host}/busy/app-${i}:v1`, { destCreds: { username: 'busy', password: secret } });
    }
  });
  afterAll(async () => {
    await berth?.stop();
    await registry?.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('answers all of them correctly, reads and writes alike, with no database error', async () => {
    const requests: Promise<Answer>[] = [];
    const call = (label: string, method: string, p: string, body?: unknown) => {
      requests.push(berth.api(method, p, body).then(({ status, body: b }) => ({ label, status, body: b })));
    };
    for (let i = 0; i < 200; i++) {
      // Each image in turn, every ten requests.
      const n = Math.floor(i / 10) % IMAGES;
      switch (i % 10) {
        case 0:
        case 1:
        case 2:
          call('repositories', 'GET', '/repositories?limit=100');
          break;
        case 3:
        case 4:
          call('images', 'GET', '/repositories/busy/images?limit=100');
          break;
        case 5:
        case 6:
          call(`artifacts ${n}`, 'GET', `/repositories/busy/images/app-${n}/artifacts`);
          break;
        case 7:
          call(`tags ${n}`, 'GET', `/repositories/busy/images/app-${n}/tags`);
          break;
        case 8:
          call(`create new-${i}`, 'POST', '/repositories', { name: `new-${i}` });
          break;
        default:
          if (i % 20 === 9) call(`describe app-${n}`, 'PATCH', `/repositories/busy/images/app-${n}`, { description: `described by request ${i}` });
          else call(`user u${i}`, 'POST', '/repositories/busy/users', { name: `u${i}`, permission: 'pull' });
      }
    }
    const answers = await Promise.all(requests);
    expect(answers).toHaveLength(200);

    const created = answers.filter((a) => a.label.startsWith('create '));
    const users = answers.filter((a) => a.label.startsWith('user '));
    const described = answers.filter((a) => a.label.startsWith('describe '));
    expect([created.length, users.length, described.length]).toEqual([20, 10, 10]);
    // Every answer is a success; a failed one is shown with its body.
    const failed = answers.filter((a) => a.status !== (a.label.startsWith('create ') || a.label.startsWith('user ') ? 201 : 200));
    expect(failed).toEqual([]);

    for (const a of answers) {
      if (a.label === 'repositories') expect((a.body as Page<Repository>).items.map((r) => r.name)).toContain('busy');
      if (a.label === 'images') expect((a.body as Page<Image>).items.map((m) => m.name)).toEqual(layouts.map((_, i) => `app-${i}`));
      if (a.label.startsWith('artifacts ')) {
        const n = Number(a.label.split(' ')[1]);
        expect((a.body as Page<Artifact>).items.map((x) => [x.digest, x.tags])).toEqual([[layouts[n]!.manifestDigest, ['v1']]]);
      }
      if (a.label.startsWith('tags ')) expect((a.body as Page<Tag>).items.map((t) => t.name)).toEqual(['v1']);
      if (a.label.startsWith('create ')) expect((a.body as Repository).name).toBe(a.label.slice('create '.length));
      if (a.label.startsWith('user ')) expect((a.body as { secret: string }).secret).toMatch(/\S{20,}/);
    }

    // What was written is there, once each.
    const repos = (await berth.api<Page<Repository>>('GET', '/repositories?limit=100')).body.items.map((r) => r.name).sort();
    expect(repos).toEqual(['busy', ...created.map((a) => a.label.slice('create '.length))].sort());
    const listed = (await berth.api<Page<RepositoryUser>>('GET', '/repositories/busy/users?limit=100')).body.items.map((u) => u.name).sort();
    expect(listed).toEqual(['ci', ...users.map((a) => a.label.slice('user '.length))].sort());
    const images = (await berth.api<Page<Image>>('GET', '/repositories/busy/images?limit=100')).body.items;
    for (const m of images) expect(m.description).toMatch(/^described by request \d+$/);

    // No SQLITE_BUSY, no pool timeout, nothing else went wrong inside.
    expect(errors).toEqual([]);
  });
});
