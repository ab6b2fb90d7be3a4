/**
 * API benchmark: the built Berth on a seeded store (bench/seed.ts: 10,000 images,
 * 100,000 tags, 1,000,000 pull events), SQLite or PostgreSQL, measured by a lean
 * node:http client on loopback, one request at a time, as the admin with HTTP Basic.
 * Cases are interleaved (one request of each case per round) so every case sees the
 * same machine conditions; a warm-up round set is not counted.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createPostgresStore, createSqliteStore, type KyselyStore } from '@berth/store';
import { createDatabase, startBuiltBerth, startDistribution, startPostgres, type Postgres } from '@berth/testkit';
import { BIG_IMAGE, DEFAULT_SEED, SEED_REPOSITORY, seedStore, type SeedOptions, type SeedResult } from './seed.ts';

export type StoreKind = 'sqlite' | 'postgres';

export interface ApiCaseResult {
  name: string;
  path: string;
  requests: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** Items on the page, as a sanity check that the page is full. */
  items: number;
}

export interface ApiResult {
  store: StoreKind;
  seed: SeedResult;
  pageSize: number;
  cases: ApiCaseResult[];
}

const ADMIN = { username: 'admin', password: 'bench-admin-password' };
const auth = `Basic ${Buffer.from(`${ADMIN.username}:${ADMIN.password}`).toString('base64')}`;

interface Got {
  status: number;
  body: string;
  ms: number;
}

function get(agent: http.Agent, base: string, p: string): Promise<Got> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.get(new URL(p, base), { agent, headers: { authorization: auth, accept: 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - started }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

async function getJson<T>(agent: http.Agent, base: string, p: string): Promise<T> {
  const r = await get(agent, base, p);
  if (r.status !== 200) throw new Error(`GET ${p}: ${r.status} ${r.body.slice(0, 300)}`);
  return JSON.parse(r.body) as T;
}

/** Nearest-rank percentile of sorted values, rounded to 0.1 ms. */
function pct(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return Math.round(sorted[i]! * 10) / 10;
}

/** Walks a list with 500-row pages (cursors are keyset, so any page size may reuse them) to about `fraction` of it. */
async function deepCursor(agent: http.Agent, base: string, listPath: string, total: number, fraction: number): Promise<string> {
  let cursor: string | null = null;
  let seen = 0;
  const sep = listPath.includes('?') ? '&' : '?';
  while (seen < total * fraction) {
    const page: { items: unknown[]; nextCursor: string | null } = await getJson(
      agent,
      base,
      `${listPath}${sep}limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    seen += page.items.length;
    if (!page.nextCursor) throw new Error(`${listPath} ended after ${seen} rows`);
    cursor = page.nextCursor;
  }
  return cursor!;
}

/** A store seeded for the benchmark, and the Berth environment that opens it. */
async function seededStore(kind: StoreKind, work: string, seed: SeedOptions): Promise<{ env: Record<string, string>; seed: SeedResult; pg?: Postgres }> {
  const dataDir = path.join(work, 'berth');
  fs.mkdirSync(dataDir, { recursive: true });
  let store: KyselyStore;
  let pg: Postgres | undefined;
  const env: Record<string, string> = { BERTH_DATA_DIR: dataDir };
  if (kind === 'postgres') {
    pg = await startPostgres();
    const url = await createDatabase(pg.url, 'berth_bench');
    store = createPostgresStore(url);
    env.BERTH_DATABASE_URL = url;
  } else {
    store = createSqliteStore(path.join(dataDir, 'berth.db'));
  }
  try {
    await store.migrate();
    const result = await seedStore(store, seed);
    return { env, seed: result, ...(pg ? { pg } : {}) };
  } finally {
    await store.close();
  }
}

export async function apiBench(opts: { store: StoreKind; requests: number; seed?: SeedOptions; log?: (line: string) => void }): Promise<ApiResult> {
  const seedOpts = opts.seed ?? DEFAULT_SEED;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), `berth-bench-api-${opts.store}-`));
  const upstream = await startDistribution();
  let pg: Postgres | undefined;
  let berth: Awaited<ReturnType<typeof startBuiltBerth>> | undefined;
  try {
    const seeded = await seededStore(opts.store, work, seedOpts);
    pg = seeded.pg;
    opts.log?.(`  ${opts.store}: seeded in ${seeded.seed.seconds} s (${JSON.stringify(seeded.seed.rows)})`);
    berth = await startBuiltBerth(
      {
        ...seeded.env,
        BERTH_UPSTREAM_URL: upstream.url,
        BERTH_ADMIN_PASSWORD: ADMIN.password,
        // The upstream is empty: a reconciliation would remove every seeded image.
        BERTH_RECONCILE_ON_START: 'false',
        BERTH_RECONCILE_INTERVAL_MINUTES: '0',
        BERTH_LOG_LEVEL: process.env.BENCH_BERTH_LOG ?? 'warn',
      },
      { showLogs: Boolean(process.env.BENCH_BERTH_LOG) },
    );
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const base = berth.url;
    const repo = `/api/v1/repositories/${SEED_REPOSITORY}`;
    const big = `${repo}/images/${encodeURIComponent(BIG_IMAGE)}`;
    const limit = 50;
    const deepImages = await deepCursor(agent, base, `${repo}/images`, seedOpts.images, 0.9);
    const deepArtifacts = await deepCursor(agent, base, `${big}/artifacts`, seedOpts.bigTags, 0.9);
    const deepTags = await deepCursor(agent, base, `${big}/tags`, seedOpts.bigTags, 0.9);
    // Image detail rotates over 100 images, the 10,000-tag one among them.
    const detailNames = [BIG_IMAGE, ...Array.from({ length: 99 }, (_, i) => `app-${String(1 + i * 101).padStart(5, '0')}`)];
    let detailTurn = 0;
    const cases: { name: string; path: () => string }[] = [
      { name: 'images: first page', path: () => `${repo}/images?limit=${limit}` },
      { name: 'images: deep page (cursor at 90%)', path: () => `${repo}/images?limit=${limit}&cursor=${encodeURIComponent(deepImages)}` },
      { name: 'images: sorted by pullCount desc', path: () => `${repo}/images?limit=${limit}&sort=pullCount&order=desc` },
      { name: 'images: filtered by name (q=app-012)', path: () => `${repo}/images?limit=${limit}&q=app-012` },
      { name: 'image detail', path: () => `${repo}/images/${detailNames[detailTurn++ % detailNames.length]}` },
      { name: '10,000-tag image: artifacts, first page', path: () => `${big}/artifacts?limit=${limit}` },
      { name: '10,000-tag image: artifacts, deep page', path: () => `${big}/artifacts?limit=${limit}&cursor=${encodeURIComponent(deepArtifacts)}` },
      { name: '10,000-tag image: tags, first page', path: () => `${big}/tags?limit=${limit}` },
      { name: '10,000-tag image: tags, deep page', path: () => `${big}/tags?limit=${limit}&cursor=${encodeURIComponent(deepTags)}` },
      // Other orders and filters the console offers.
      { name: 'images: sorted by lastModifiedAt desc', path: () => `${repo}/images?limit=${limit}&sort=lastModifiedAt&order=desc` },
      { name: '10,000-tag image: artifacts by pullCount', path: () => `${big}/artifacts?limit=${limit}&sort=pullCount&order=desc` },
      { name: '10,000-tag image: artifacts by size', path: () => `${big}/artifacts?limit=${limit}&sort=size&order=desc` },
      { name: '10,000-tag image: tags by pushedAt', path: () => `${big}/tags?limit=${limit}&sort=pushedAt&order=desc` },
      { name: '10,000-tag image: tags by pullCount', path: () => `${big}/tags?limit=${limit}&sort=pullCount&order=desc` },
      { name: '10,000-tag image: artifacts by pulledAt', path: () => `${big}/artifacts?limit=${limit}&sort=pulledAt&order=desc` },
      { name: '10,000-tag image: tags by pulledAt', path: () => `${big}/tags?limit=${limit}&sort=pulledAt&order=desc` },
      { name: '10,000-tag image: tags filtered (q=v9)', path: () => `${big}/tags?limit=${limit}&q=v9` },
    ];
    const times = cases.map(() => [] as number[]);
    const items = cases.map(() => 0);
    const warmup = 20;
    for (let round = 0; round < warmup + opts.requests; round++) {
      for (const [i, c] of cases.entries()) {
        const p = c.path();
        const r = await get(agent, base, p);
        if (r.status !== 200) throw new Error(`GET ${p}: ${r.status} ${r.body.slice(0, 300)}`);
        if (round < warmup) continue;
        times[i]!.push(r.ms);
        if (round === warmup) {
          const body = JSON.parse(r.body) as { items?: unknown[] };
          items[i] = body.items?.length ?? 1;
        }
      }
    }
    agent.destroy();
    return {
      store: opts.store,
      seed: seeded.seed,
      pageSize: limit,
      cases: cases.map((c, i) => {
        const sorted = [...times[i]!].sort((a, b) => a - b);
        return {
          name: c.name,
          path: c.path().replace(/cursor=[^&]+/, 'cursor=…').replace(/images\/app-\d+$/, 'images/{image}'),
          requests: sorted.length,
          p50: pct(sorted, 50),
          p95: pct(sorted, 95),
          p99: pct(sorted, 99),
          max: pct(sorted, 100),
          items: items[i]!,
        };
      }),
    };
  } finally {
    await berth?.stop();
    await upstream.stop();
    await pg?.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}
