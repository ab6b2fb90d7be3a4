// The artifacts of an image and how they link (children, subject, tags with locks), read in
// three queries whatever the image's size, for lifecycle decisions.
import type { Db } from './sql-helpers.ts';
import type { GraphArtifact } from './types.ts';

/** SQLite allows 32,766 bound parameters; PostgreSQL 65,535. Longer lists are read in slices. */
const SLICE = 10_000;

export async function graphOf(db: Db, imageId: number, digests?: string[]): Promise<GraphArtifact[]> {
  const ids = digests === undefined ? null : await neighbourhood(db, imageId, digests);
  if (ids !== null && ids.length === 0) return [];
  const out: GraphArtifact[] = [];
  const byId = new Map<number, GraphArtifact>();
  for (const slice of ids === null ? [null] : slices(ids)) {
    // One row per tag (or one for an untagged artifact): 100,000 tags are one read. No order:
    // sorting would cost the database a temporary b-tree, and rows are gathered by id here.
    let rows = db
      .selectFrom('artifacts')
      .leftJoin('tags', 'tags.artifact_id', 'artifacts.id')
      .select(['artifacts.id', 'artifacts.digest', 'artifacts.size', 'artifacts.pushed_at', 'artifacts.pulled_at', 'artifacts.subject', 'tags.name', 'tags.locked'])
      .where('artifacts.image_id', '=', imageId);
    let children = db.selectFrom('artifact_children').select(['parent_id', 'child_digest', 'size']).where('image_id', '=', imageId);
    if (slice) {
      rows = rows.where('artifacts.id', 'in', slice);
      children = children.where('parent_id', 'in', slice);
    }
    const [artifactRows, childRows] = await Promise.all([rows.execute(), children.orderBy('parent_id').orderBy('position').execute()]);
    for (const r of artifactRows) {
      let a = byId.get(r.id);
      if (!a) {
        a = { digest: r.digest, size: Number(r.size), pushedAt: r.pushed_at, pulledAt: r.pulled_at, tags: [], children: [], subject: r.subject };
        byId.set(r.id, a);
        out.push(a);
      }
      if (r.name !== null) a.tags.push({ name: r.name, locked: r.locked === 1 });
    }
    for (const c of childRows) {
      const parent = byId.get(c.parent_id);
      if (!parent) continue;
      parent.children.push(c.child_digest);
      // An index's recorded size counts its children: its own content is the rest.
      parent.size = Math.max(0, parent.size - Number(c.size));
    }
  }
  // Tags by name (most artifacts have one: sorting them here costs less than in the query).
  for (const a of out) if (a.tags.length > 1) a.tags.sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
  return out;
}

/** Ids of `digests`, their children, and every artifact of the image that lists or refers to one of those. */
async function neighbourhood(db: Db, imageId: number, digests: string[]): Promise<number[]> {
  if (digests.length === 0) return [];
  const targets = await db.selectFrom('artifacts').select('id').where('image_id', '=', imageId).where('digest', 'in', digests).execute();
  if (targets.length === 0) return [];
  const targetIds = targets.map((r) => r.id);
  const childDigests = (
    await db.selectFrom('artifact_children').select('child_digest').where('image_id', '=', imageId).where('parent_id', 'in', targetIds).execute()
  ).map((r) => r.child_digest);
  const all = [...new Set([...digests, ...childDigests])];
  const [own, parents, referrers] = await Promise.all([
    db.selectFrom('artifacts').select('id').where('image_id', '=', imageId).where('digest', 'in', all).execute(),
    db.selectFrom('artifact_children').select('parent_id as id').where('image_id', '=', imageId).where('child_digest', 'in', all).execute(),
    db.selectFrom('artifacts').select('id').where('image_id', '=', imageId).where('subject', 'in', all).execute(),
  ]);
  return [...new Set([...own, ...parents, ...referrers].map((r) => r.id))];
}

function slices<T>(list: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += SLICE) out.push(list.slice(i, i + SLICE));
  return out;
}
