// The artifacts of an image and how they link (children, subject, tags with locks), read in
// three queries whatever the image's size, for lifecycle decisions.
import type { Db } from './sql-helpers.ts';
import type { GraphArtifact } from './types.ts';

/** SQLite allows 32,766 bound parameters; PostgreSQL 65,535. Longer lists are read in slices. */
const SLICE = 10_000;

export async function graphOf(db: Db, imageId: number, digests?: string[]): Promise<GraphArtifact[]> {
  const ids = digests === undefined ? null : await neighbourhood(db, imageId, digests);
  if (ids !== null && ids.length === 0) return [];
  const artifacts: { id: number; digest: string; size: number; pushed_at: string; pulled_at: string | null; subject: string | null }[] = [];
  const tags: { artifact_id: number; name: string; locked: number }[] = [];
  const children: { parent_id: number; child_digest: string; size: number }[] = [];
  for (const slice of ids === null ? [null] : slices(ids)) {
    let a = db.selectFrom('artifacts').select(['id', 'digest', 'size', 'pushed_at', 'pulled_at', 'subject']).where('image_id', '=', imageId);
    let t = db.selectFrom('tags').select(['artifact_id', 'name', 'locked']).where('image_id', '=', imageId);
    let c = db.selectFrom('artifact_children').select(['parent_id', 'child_digest', 'size']).where('image_id', '=', imageId);
    if (slice) {
      a = a.where('id', 'in', slice);
      t = t.where('artifact_id', 'in', slice);
      c = c.where('parent_id', 'in', slice);
    }
    const [ar, tr, cr] = await Promise.all([a.execute(), t.execute(), c.orderBy('parent_id').orderBy('position').execute()]);
    artifacts.push(...ar);
    tags.push(...tr);
    children.push(...cr);
  }
  const tagsOf = new Map<number, GraphArtifact['tags']>();
  for (const r of tags) {
    const list = tagsOf.get(r.artifact_id);
    const tag = { name: r.name, locked: r.locked === 1 };
    if (list) list.push(tag);
    else tagsOf.set(r.artifact_id, [tag]);
  }
  const childrenOf = new Map<number, { digests: string[]; bytes: number }>();
  for (const r of children) {
    const entry = childrenOf.get(r.parent_id) ?? { digests: [], bytes: 0 };
    entry.digests.push(r.child_digest);
    entry.bytes += Number(r.size);
    childrenOf.set(r.parent_id, entry);
  }
  // Tags by name (most artifacts have one: sorting them here costs less than in the query).
  for (const list of tagsOf.values()) if (list.length > 1) list.sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
  return artifacts.map((r) => {
    const kids = childrenOf.get(r.id);
    return {
      digest: r.digest,
      // An index's recorded size counts its children: its own content is the rest.
      size: Math.max(0, Number(r.size) - (kids?.bytes ?? 0)),
      pushedAt: r.pushed_at,
      pulledAt: r.pulled_at,
      tags: tagsOf.get(r.id) ?? [],
      children: kids?.digests ?? [],
      subject: r.subject,
    };
  });
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
