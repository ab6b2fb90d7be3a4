/**
 * Seeds a Berth store for the API benchmark, straight through the store's Kysely `db`
 * (bulk inserts in large batches inside one transaction), not through the API:
 *  - one repository (`bench`) with `images` images (default 10,000);
 *  - `tags` tags in all (default 100,000): image `many-tags` carries `bigTags` of them
 *    (default 10,000), each on its own artifact; the rest are spread evenly over the
 *    other images, round-robin over each image's artifacts;
 *  - every tenth other image also has a multi-arch index with two platform manifests
 *    (child artifacts, untagged, so not top-level);
 *  - `pullEvents` pull events (default 1,000,000), each drawn one by one (skewed towards
 *    popular images; by tag 70% of the time), then written as aggregated counts and
 *    latest pull times per image, artifact and tag — the same sums Berth's pull counter
 *    flushes (image +1, the pulled digest +1, the tag +1 when pulled by tag);
 *  - `images.artifact_count` / `tag_count` / `pushed_at` / `last_modified_at` as the store
 *    keeps them (refreshImageCounts: top-level artifacts = not a child of another
 *    artifact of the image unless tagged; last modified = latest push or pull).
 * Deterministic (a seeded PRNG), so runs compare.
 */
import { createHash } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { KyselyStore } from '@berth/store';

type Schema = KyselyStore['db'] extends Kysely<infer D> ? D : never;

export interface SeedOptions {
  images: number;
  tags: number;
  bigTags: number;
  pullEvents: number;
}

export const DEFAULT_SEED: SeedOptions = { images: 10_000, tags: 100_000, bigTags: 10_000, pullEvents: 1_000_000 };

export const SEED_REPOSITORY = 'bench';
export const BIG_IMAGE = 'many-tags';

export interface SeedResult {
  seconds: number;
  rows: { images: number; artifacts: number; artifactChildren: number; tags: number; pullEvents: number };
}

/** mulberry32: small, fast, deterministic. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DAY = 86_400_000;
const EPOCH = Date.parse('2026-11-01T00:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();
const digestOf = (s: string) => `sha256:${createHash('sha256').update(s).digest('hex')}`;
const later = (a: string | null, b: string) => (a === null || a < b ? b : a);

interface ImageRow {
  id: number;
  repository_id: number;
  name: string;
  description: string;
  status: string;
  artifact_count: number;
  tag_count: number;
  pull_count: number;
  pushed_at: string | null;
  pulled_at: string | null;
  last_modified_at: string;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
}
interface ArtifactRow {
  id: number;
  image_id: number;
  digest: string;
  media_type: string;
  artifact_type: string | null;
  size: number;
  platforms: string;
  pushed_at: string;
  pulled_at: string | null;
  pull_count: number;
}
interface ChildRow {
  image_id: number;
  parent_id: number;
  child_digest: string;
  media_type: string;
  size: number;
  platform: string | null;
  position: number;
}
interface TagRow {
  id: number;
  image_id: number;
  artifact_id: number;
  name: string;
  pushed_at: string;
  pulled_at: string | null;
  pull_count: number;
}

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const AMD64 = { os: 'linux', architecture: 'amd64' };
const ARM64 = { os: 'linux', architecture: 'arm64', variant: 'v8' };

/** Builds every row in memory (deterministic), with counts already aggregated. */
export function buildSeed(opts: SeedOptions, repositoryId: number) {
  const rand = prng(0xbe27);
  const images: ImageRow[] = [];
  const artifacts: ArtifactRow[] = [];
  const children: ChildRow[] = [];
  const tags: TagRow[] = [];
  /** Per image: its top-level artifact rows (pull targets) and its tags by artifact. */
  const topOf: ArtifactRow[][] = [];
  const tagsOf = new Map<number, TagRow[]>();

  const otherImages = opts.images - 1;
  const otherTags = opts.tags - opts.bigTags;
  for (let i = 0; i < opts.images; i++) {
    const big = i === 0;
    const id = i + 1;
    const name = big ? BIG_IMAGE : `app-${String(i).padStart(5, '0')}`;
    const created = EPOCH - 365 * DAY + Math.floor(rand() * 200 * DAY);
    images.push({
      id,
      repository_id: repositoryId,
      name,
      description: '',
      status: 'Active',
      artifact_count: 0,
      tag_count: 0,
      pull_count: 0,
      pushed_at: null,
      pulled_at: null,
      last_modified_at: iso(created),
      created_at: iso(created),
      created_by: 'seed',
      updated_at: iso(created),
      updated_by: 'seed',
    });
    const top: ArtifactRow[] = [];
    const addArtifact = (mediaType: string, platforms: object[], size: number, at: number): ArtifactRow => {
      const a: ArtifactRow = {
        id: artifacts.length + 1,
        image_id: id,
        digest: digestOf(`${name}#${artifacts.length}`),
        media_type: mediaType,
        artifact_type: null,
        size,
        platforms: JSON.stringify(platforms),
        pushed_at: iso(at),
        pulled_at: null,
        pull_count: 0,
      };
      artifacts.push(a);
      return a;
    };
    const nArtifacts = big ? opts.bigTags : 1 + (i % 9);
    let at = created;
    for (let k = 0; k < nArtifacts; k++) {
      at += 1000 + Math.floor(rand() * (big ? 2_000_000 : 20 * DAY));
      if (!big && k === 0 && i % 10 === 0) {
        // A multi-arch index: two platform manifests, then the index that lists them.
        const kids = [AMD64, ARM64].map((p) => addArtifact(OCI_MANIFEST, [p], 2_000_000 + Math.floor(rand() * 50_000_000), at));
        const index = addArtifact(OCI_INDEX, [AMD64, ARM64], 1_000, at);
        kids.forEach((c, position) =>
          children.push({
            image_id: id,
            parent_id: index.id,
            child_digest: c.digest,
            media_type: OCI_MANIFEST,
            size: 500,
            platform: JSON.stringify(position === 0 ? AMD64 : ARM64),
            position,
          }),
        );
        top.push(index);
      } else {
        top.push(addArtifact(OCI_MANIFEST, [AMD64], 2_000_000 + Math.floor(rand() * 200_000_000), at));
      }
    }
    topOf.push(top);
    const nTags = big ? opts.bigTags : Math.floor(otherTags / otherImages) + (i - 1 < otherTags % otherImages ? 1 : 0);
    const list: TagRow[] = [];
    for (let k = 0; k < nTags; k++) {
      const a = top[k % top.length]!;
      const t: TagRow = {
        id: tags.length + 1,
        image_id: id,
        artifact_id: a.id,
        name: big ? `v${Math.floor(k / 100)}.${k % 100}.${k}` : k === 0 ? 'latest' : `1.${k}`,
        pushed_at: a.pushed_at,
        pulled_at: null,
        pull_count: 0,
      };
      tags.push(t);
      list.push(t);
    }
    tagsOf.set(id, list);
  }
  const tagsByArtifact = new Map<number, TagRow[]>();
  for (const t of tags) {
    const l = tagsByArtifact.get(t.artifact_id);
    if (l) l.push(t);
    else tagsByArtifact.set(t.artifact_id, [t]);
  }

  // Pull events, one at a time: image skewed (u^3 favours low indices; the big image is
  // index 0 and gets a fixed 10%), artifact uniform within it, 70% by one of its tags.
  for (let e = 0; e < opts.pullEvents; e++) {
    const i = rand() < 0.1 ? 0 : Math.floor(rand() ** 3 * opts.images);
    const top = topOf[i]!;
    const a = top[Math.floor(rand() * top.length)]!;
    const at = iso(EPOCH + Math.floor(rand() * 22 * DAY));
    const image = images[i]!;
    image.pull_count++;
    image.pulled_at = later(image.pulled_at, at);
    a.pull_count++;
    a.pulled_at = later(a.pulled_at, at);
    const onIt = tagsByArtifact.get(a.id);
    if (onIt && rand() < 0.7) {
      const t = onIt[Math.floor(rand() * onIt.length)]!;
      t.pull_count++;
      t.pulled_at = later(t.pulled_at, at);
    }
  }

  // Image columns the store maintains.
  const childDigests = new Map<number, Set<string>>();
  for (const c of children) {
    const s = childDigests.get(c.image_id) ?? new Set<string>();
    s.add(c.child_digest);
    childDigests.set(c.image_id, s);
  }
  const topCount = new Map<number, number>();
  const latestPush = new Map<number, string>();
  for (const a of artifacts) {
    const isChild = childDigests.get(a.image_id)?.has(a.digest) ?? false;
    if (!isChild || tagsByArtifact.has(a.id)) topCount.set(a.image_id, (topCount.get(a.image_id) ?? 0) + 1);
    latestPush.set(a.image_id, later(latestPush.get(a.image_id) ?? null, a.pushed_at));
  }
  for (const image of images) {
    image.artifact_count = topCount.get(image.id) ?? 0;
    image.tag_count = tagsOf.get(image.id)?.length ?? 0;
    image.pushed_at = latestPush.get(image.id) ?? null;
    image.last_modified_at = later(later(image.last_modified_at, image.pushed_at ?? image.created_at), image.pulled_at ?? image.created_at);
  }
  return { images, artifacts, children, tags };
}

async function insertAll<T extends object>(
  insert: (batch: T[]) => Promise<unknown>,
  rows: T[],
  columns: number,
  maxParams: number,
): Promise<void> {
  const size = Math.max(1, Math.floor(maxParams / columns));
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}

/**
 * Seeds an empty, migrated store. Ids are given explicitly (so tags can point at their
 * artifacts without reading ids back); PostgreSQL's sequences are then moved past them.
 */
export async function seedStore(store: KyselyStore, opts: SeedOptions = DEFAULT_SEED): Promise<SeedResult> {
  const started = performance.now();
  const db = store.db;
  // SQLite allows 32,766 parameters per statement, PostgreSQL 65,535.
  const maxParams = store.dialect === 'postgres' ? 60_000 : 30_000;
  const at = iso(EPOCH - 366 * DAY);
  const result: SeedResult = { seconds: 0, rows: { images: 0, artifacts: 0, artifactChildren: 0, tags: 0, pullEvents: 0 } };
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('repositories')
      .values({ name: SEED_REPOSITORY, description: 'benchmark data', created_at: at, created_by: 'seed', updated_at: at, updated_by: 'seed' })
      .execute();
    const repo = await trx.selectFrom('repositories').select('id').where('name', '=', SEED_REPOSITORY).executeTakeFirstOrThrow();
    const rows = buildSeed(opts, repo.id);
    await insertAll((b) => trx.insertInto('images').values(b).execute(), rows.images, 15, maxParams);
    await insertAll((b) => trx.insertInto('artifacts').values(b).execute(), rows.artifacts, 10, maxParams);
    await insertAll((b) => trx.insertInto('artifact_children').values(b).execute(), rows.children, 7, maxParams);
    await insertAll((b) => trx.insertInto('tags').values(b).execute(), rows.tags, 7, maxParams);
    if (store.dialect === 'postgres') {
      for (const table of ['images', 'artifacts', 'tags'] as const) await setval(trx, table);
    }
    result.rows = {
      images: rows.images.length,
      artifacts: rows.artifacts.length,
      artifactChildren: rows.children.length,
      tags: rows.tags.length,
      pullEvents: opts.pullEvents,
    };
  });
  // PostgreSQL's autovacuum vacuums and analyzes tables this size on its own soon after a
  // bulk load; do it now, so the planner sees the steady state and autovacuum does not run
  // in the middle of the measurement. (Berth never ANALYZEs SQLite, so it is left as Berth
  // leaves it.)
  if (store.dialect === 'postgres') await sql`vacuum analyze`.execute(db);
  result.seconds = Math.round((performance.now() - started) / 100) / 10;
  return result;
}

/** Moves a PostgreSQL `serial` past the ids given explicitly. */
async function setval(trx: Transaction<Schema>, table: 'images' | 'artifacts' | 'tags'): Promise<void> {
  await sql`select setval(pg_get_serial_sequence(${table}, 'id'), (select max(id) from ${sql.table(table)}))`.execute(trx);
}
