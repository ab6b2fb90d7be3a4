/**
 * `BENCH_ONLY=registries`: browsing an external registry. A Debian distribution with htpasswd
 * Basic auth holds a catalog of 5,000 names (50 repositories × 100 images, one tiny manifest
 * each, the same config and layer blobs mounted into each) and one image `big/app` with 2,000
 * tags (a distinct manifest each), seeded straight through its API. A counting proxy stands in
 * front of it and the built Berth (embedded registry, SQLite) has the proxy's URL saved as an
 * external registry, so every request Berth makes to the registry is counted. Measured by a
 * lean node:http client on loopback, one request at a time, as the admin with HTTP Basic:
 * the connection test, a repositories page warm and cold, a tags page of `big/app` warm and
 * cold, and the upstream requests each of those makes.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { MediaType, RegistryClient } from '@berth/oci';
import { startBuiltBerth, startDistribution } from '@berth/testkit';

const ADMIN_PASSWORD = 'bench-admin-password';
const adminAuth = `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`;
const LAB = { username: 'lab-robot', password: 'lab-password-bench' };
const REPOSITORIES = 50;
const IMAGES_PER_REPOSITORY = 100;
const BIG_TAGS = 2_000;
const TAG_PAGE = 25;
const LIST_PAGE = 50;

export interface Timing {
  runs: number;
  p50: number;
  p95: number;
  max: number;
}

/** Requests that reached the registry, by kind. */
export interface Upstream {
  total: number;
  ping: number;
  catalog: number;
  tagsList: number;
  manifests: number;
  other: number;
}

export interface RegistriesResult {
  seed: { names: number; repositories: number; bigTags: number; seconds: number; requests: number };
  runs: number;
  /** `POST /registries/test` against the whole catalog. */
  connectionTest: Timing & { upstream: Upstream };
  repositoriesWarm: Timing & { upstream: Upstream; items: number };
  /** First page of a registry entry added just before (untimed): nothing of it cached. */
  repositoriesCold: Timing & { upstream: Upstream; items: number };
  /** `…/repositories/r00/images?limit=50`, catalog cached. */
  imagesWarm: Timing & { upstream: Upstream; items: number };
  /** A page of 25 tags none of which Berth has read: each run a different page. */
  tagsCold: Timing & { upstream: Upstream; upstreamMax: number; items: number; pages: number[] };
  /** The same page again within the half minute its summaries are kept. */
  tagsWarm: Timing & { upstream: Upstream; items: number };
  /**
   * What bounds the cold figures: the same upstream requests sent by the benchmark straight
   * to the registry (no Berth, no proxy), as Berth sends them.
   */
  direct: {
    /** The catalog walked in pages of 1,000, one after another. */
    catalogWalk: Timing & { pages: number };
    /** `tags/list` of big/app (distribution 2.8 answers all 2,000 tags, whatever `n` says). */
    tagsList: Timing;
    /** The 25 manifests of one page, four at once. */
    pageManifests: Timing;
  };
}

const emptyUpstream = (): Upstream => ({ total: 0, ping: 0, catalog: 0, tagsList: 0, manifests: 0, other: 0 });

/** A proxy in front of the registry that passes every request through and counts it by kind. */
async function startCountingProxy(upstream: string): Promise<{ url: string; counts: Upstream; close(): Promise<void> }> {
  const target = new URL(upstream);
  const agent = new http.Agent({ keepAlive: true });
  const counts = emptyUpstream();
  const server = http.createServer((req, res) => {
    const p = req.url?.split('?')[0] ?? '';
    counts.total++;
    if (p === '/v2/' || p === '/v2') counts.ping++;
    else if (p === '/v2/_catalog') counts.catalog++;
    else if (p.endsWith('/tags/list')) counts.tagsList++;
    else if (p.includes('/manifests/')) counts.manifests++;
    else counts.other++;
    const out = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers, agent }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    out.on('error', () => res.destroy());
    req.pipe(out);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    counts,
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const diff = (after: Upstream, before: Upstream): Upstream => ({
  total: after.total - before.total,
  ping: after.ping - before.ping,
  catalog: after.catalog - before.catalog,
  tagsList: after.tagsList - before.tagsList,
  manifests: after.manifests - before.manifests,
  other: after.other - before.other,
});

interface Got {
  status: number;
  body: string;
  ms: number;
}

function call(agent: http.Agent, base: string, method: string, p: string, body?: unknown): Promise<Got> {
  const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  const headers: Record<string, string> = { authorization: adminAuth, accept: 'application/json' };
  if (data) Object.assign(headers, { 'content-type': 'application/json', 'content-length': String(data.length) });
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request(new URL(`/api/v1${p}`, base), { method, agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - started }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(data);
  });
}

async function ok(got: Promise<Got>, what: string, status = 200): Promise<Got> {
  const r = await got;
  if (r.status !== status) throw new Error(`${what}: ${r.status} ${r.body.slice(0, 300)}`);
  return r;
}

/** Nearest-rank percentile of sorted values, rounded to 0.1 ms. */
function pct(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return Math.round(sorted[i]! * 10) / 10;
}

function timing(ms: number[]): Timing {
  const sorted = [...ms].sort((a, b) => a - b);
  return { runs: sorted.length, p50: pct(sorted, 50), p95: pct(sorted, 95), max: pct(sorted, 100) };
}

/** `fn` over 0…n-1, `limit` at once. */
async function parallel(n: number, limit: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < n) await fn(next++);
  };
  await Promise.all(Array.from({ length: limit }, worker));
}

const repoName = (r: number) => `r${String(r).padStart(2, '0')}`;
const imageName = (r: number, i: number) => `${repoName(r)}/img${String(i).padStart(3, '0')}`;
const tagName = (t: number) => `v${String(t).padStart(4, '0')}`;

/**
 * 5,000 images with one manifest each (the same bytes: one config and one layer blob, mounted
 * from the first repository into the others) and `big/app` with 2,000 distinct manifests (a
 * different annotation each).
 */
async function seed(registryUrl: string): Promise<RegistriesResult['seed']> {
  const t0 = performance.now();
  let requests = 0;
  const client = new RegistryClient(registryUrl, LAB);
  const source = imageName(0, 0);
  const configBytes = new TextEncoder().encode('{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}');
  const layerBytes = new TextEncoder().encode('bench layer: not a real tar, registries do not look');
  const config = await client.pushBlob(source, configBytes);
  const layer = await client.pushBlob(source, layerBytes);
  requests += 4;
  const manifest = (annotations?: Record<string, string>) =>
    new TextEncoder().encode(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MediaType.OciManifest,
        config: { mediaType: MediaType.OciConfig, digest: config, size: configBytes.byteLength },
        layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: layer, size: layerBytes.byteLength }],
        ...(annotations ? { annotations } : {}),
      }),
    );
  const plain = manifest();
  const mount = async (name: string, digest: string) => {
    if (name === source) return;
    const res = await client.request(`/v2/${name}/blobs/uploads/?mount=${digest}&from=${source}`, { method: 'POST' });
    await res.arrayBuffer();
    requests++;
    if (res.status !== 201) throw new Error(`mount of ${digest} into ${name}: ${res.status}`);
  };
  const names = [...Array.from({ length: REPOSITORIES * IMAGES_PER_REPOSITORY }, (_, k) => imageName(Math.floor(k / IMAGES_PER_REPOSITORY), k % IMAGES_PER_REPOSITORY)), 'big/app'];
  await parallel(names.length, 8, async (k) => {
    const name = names[k]!;
    await mount(name, config);
    await mount(name, layer);
    if (name !== 'big/app') {
      await client.putManifest(name, '1.0', plain, MediaType.OciManifest);
      requests++;
    }
  });
  await parallel(BIG_TAGS, 8, async (t) => {
    await client.putManifest('big/app', tagName(t), manifest({ 'org.example.bench.tag': tagName(t) }), MediaType.OciManifest);
    requests++;
  });
  return { names: names.length, repositories: REPOSITORIES + 1, bigTags: BIG_TAGS, seconds: Math.round((performance.now() - t0) / 100) / 10, requests };
}

export async function registriesBench(opts: { runs: number; log?: (line: string) => void }): Promise<RegistriesResult> {
  const runs = opts.runs;
  const tagPages = BIG_TAGS / TAG_PAGE;
  // Each cold tags run (and the warm-up) needs its own page of big/app, and the warm case one more.
  if (runs < 1 || runs + 2 > tagPages) throw new Error(`BENCH_REGISTRY_RUNS: 1 to ${tagPages - 2} (each cold tags run reads its own page of ${TAG_PAGE} of ${BIG_TAGS} tags)`);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bench-registries-'));
  const lab = await startDistribution({ auth: LAB, logLevel: 'warn' });
  let proxy: Awaited<ReturnType<typeof startCountingProxy>> | undefined;
  let berth: Awaited<ReturnType<typeof startBuiltBerth>> | undefined;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const seeded = await seed(lab.url);
    opts.log?.(`  seeded ${seeded.names} names and ${seeded.bigTags} tags of big/app in ${seeded.seconds} s (${seeded.requests} requests)`);
    proxy = await startCountingProxy(lab.url);
    berth = await startBuiltBerth(
      {
        BERTH_DATA_DIR: path.join(work, 'berth'),
        BERTH_ADMIN_PASSWORD: ADMIN_PASSWORD,
        BERTH_RECONCILE_ON_START: 'false',
        BERTH_RECONCILE_INTERVAL_MINUTES: '0',
        BERTH_LOG_LEVEL: process.env.BENCH_BERTH_LOG ?? 'warn',
      },
      { showLogs: Boolean(process.env.BENCH_BERTH_LOG) },
    );
    const base = berth.url;
    const counts = proxy.counts;
    const settings = (url: string) => ({ type: 'registry', url, insecure: true, username: LAB.username, password: LAB.password });
    const add = (name: string, url: string) => ok(call(agent, base, 'POST', '/registries', { ...settings(url), name }), `add registry ${name}`, 201);

    /** Runs `request` warm-up + `runs` times; times and upstream requests of the counted runs. */
    const measure = async (label: string, request: (i: number) => Promise<Got>, before?: (i: number) => Promise<void>) => {
      const ms: number[] = [];
      const upstream: Upstream[] = [];
      let items = 0;
      for (let i = 0; i < runs + 1; i++) {
        await before?.(i);
        const start = { ...counts };
        const r = await request(i);
        if (r.status !== 200) throw new Error(`${label}: ${r.status} ${r.body.slice(0, 300)}`);
        if (i === 0) continue;
        ms.push(r.ms);
        upstream.push(diff(counts, start));
        items = (JSON.parse(r.body) as { items?: unknown[] }).items?.length ?? 0;
      }
      return { ms, upstream, items };
    };
    /** Upstream requests of the median run (they are the same in every run of a case, but say so if not). */
    const typical = (label: string, us: Upstream[]): Upstream => {
      const totals = us.map((u) => u.total).sort((a, b) => a - b);
      if (totals[0] !== totals[totals.length - 1]) opts.log?.(`  note: ${label} made ${totals[0]}–${totals[totals.length - 1]} upstream requests across runs`);
      return [...us].sort((a, b) => a.total - b.total)[Math.floor(us.length / 2)]!;
    };

    // 1. The connection test, the whole catalog (5,001 names: six pages of 1,000).
    const test = await measure('connection test', async () => {
      const r = await call(agent, base, 'POST', '/registries/test', settings(proxy!.url));
      const body = JSON.parse(r.body) as { ok?: boolean; message?: string };
      if (r.status === 200 && !body.ok) throw new Error(`connection test failed: ${body.message}`);
      return r;
    });
    const connectionTest = { ...timing(test.ms), upstream: typical('the connection test', test.upstream) };

    await add('lab', proxy.url);
    await add('walker', lab.url);

    // 2. Repositories, cold: each run's registry entry is added just before it (untimed, its
    // own connection test included), so its catalog and client are new.
    const repoCold = await measure(
      'repositories, cold',
      (i) => call(agent, base, 'GET', `/registries/cold-${i}/repositories?limit=${LIST_PAGE}`),
      async (i) => {
        if (i > 0) await ok(call(agent, base, 'DELETE', `/registries/cold-${i - 1}?deleteUpstream=false`), 'delete registry');
        await add(`cold-${i}`, proxy!.url);
      },
    );
    await ok(call(agent, base, 'DELETE', `/registries/cold-${runs}?deleteUpstream=false`), 'delete registry');

    // Repositories and images, warm: the catalog read once, then pages from it.
    await ok(call(agent, base, 'GET', `/registries/lab/repositories?limit=${LIST_PAGE}`), 'repositories');
    const repoWarm = await measure('repositories, warm', () => call(agent, base, 'GET', `/registries/lab/repositories?limit=${LIST_PAGE}`));
    const imagesWarm = await measure('images, warm', () => call(agent, base, 'GET', `/registries/lab/repositories/${repoName(0)}/images?limit=${LIST_PAGE}`));

    // 3. Tags of big/app. The cursors of every page of 25, from another registry entry (on the
    // registry directly, so `lab` has read none of those manifests and nothing is counted).
    const tagsPath = (registry: string, cursor: string | null) =>
      `/registries/${registry}/repositories/big/images/app/tags?limit=${TAG_PAGE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const cursors: (string | null)[] = [null];
    for (;;) {
      const page = JSON.parse((await ok(call(agent, base, 'GET', tagsPath('walker', cursors[cursors.length - 1]!)), 'tags walk')).body) as { nextCursor: string | null };
      if (!page.nextCursor) break;
      cursors.push(page.nextCursor);
    }
    if (cursors.length !== tagPages) throw new Error(`big/app has ${cursors.length} pages of ${TAG_PAGE} tags, not ${tagPages}`);
    // Cold: run i reads page i × stride, spread over the 80 pages: each run 25 tags Berth has not read.
    const stride = Math.floor(tagPages / (runs + 1));
    const pages = Array.from({ length: runs + 1 }, (_, i) => i * stride);
    const tagsColdRuns = await measure('tags, cold', (i) => call(agent, base, 'GET', tagsPath('lab', cursors[pages[i]!]!)));
    // Warm: one page read once (its summaries kept for half a minute), then again and again.
    const warmPage = cursors[pages[pages.length - 1]! + 1]!;
    await ok(call(agent, base, 'GET', tagsPath('lab', warmPage)), 'tags');
    const warmStart = performance.now();
    const tagsWarmRuns = await measure('tags, warm', () => call(agent, base, 'GET', tagsPath('lab', warmPage)));
    if (performance.now() - warmStart > 25_000) opts.log?.('  note: the warm tags runs took more than 25 s: some may have met expired summaries');

    // 4. The upstream alone, for what bounds the cold figures.
    const direct = new RegistryClient(lab.url, LAB);
    const directRuns = async (fn: () => Promise<unknown>) => {
      const ms: number[] = [];
      for (let i = 0; i < runs + 1; i++) {
        const t0 = performance.now();
        await fn();
        if (i > 0) ms.push(performance.now() - t0);
      }
      return timing(ms);
    };
    let catalogPages = 0;
    const catalogWalk = await directRuns(async () => {
      let last: string | undefined;
      catalogPages = 0;
      for (;;) {
        const page = await direct.catalogPage(1000, last);
        catalogPages++;
        last = page.names[page.names.length - 1];
        if (!page.more || !last) break;
      }
    });
    const tagsList = await directRuns(() => direct.tagsPage('big/app', TAG_PAGE));
    let turn = 0;
    const pageManifests = await directRuns(async () => {
      const first = (turn++ % (tagPages / 2)) * TAG_PAGE;
      await parallel(TAG_PAGE, 4, async (k) => void (await direct.manifest('big/app', tagName(first + k))));
    });

    const coldTotals = tagsColdRuns.upstream.map((u) => u.total);
    return {
      seed: seeded,
      runs,
      connectionTest,
      repositoriesCold: { ...timing(repoCold.ms), upstream: typical('a cold repositories page', repoCold.upstream), items: repoCold.items },
      repositoriesWarm: { ...timing(repoWarm.ms), upstream: typical('a warm repositories page', repoWarm.upstream), items: repoWarm.items },
      imagesWarm: { ...timing(imagesWarm.ms), upstream: typical('a warm images page', imagesWarm.upstream), items: imagesWarm.items },
      tagsCold: {
        ...timing(tagsColdRuns.ms),
        upstream: typical('a cold tags page', tagsColdRuns.upstream),
        upstreamMax: Math.max(...coldTotals),
        items: tagsColdRuns.items,
        pages: pages.slice(1),
      },
      tagsWarm: { ...timing(tagsWarmRuns.ms), upstream: typical('a warm tags page', tagsWarmRuns.upstream), items: tagsWarmRuns.items },
      direct: { catalogWalk: { ...catalogWalk, pages: catalogPages }, tagsList, pageManifests },
    };
  } finally {
    agent.destroy();
    await berth?.stop();
    await proxy?.close();
    await lab.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}
