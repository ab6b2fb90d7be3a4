// The artifacts of an image and how they link (children, subject, tags with locks), for
// lifecycle decisions: a policy test over 100,000 tags reads them all.
//
// Reading 100,000 rows column by column costs the driver a JS value per cell (on this
// machine about 450 ms for the policy test's columns); the database instead packs each
// page of rows into one string (`group_concat` / `string_agg`), split here in a fraction
// of that. Every packed field is free of spaces and newlines: ids and
// sizes are digits, digests `algorithm:hex`, times ISO 8601, tags `[A-Za-z0-9_][A-Za-z0-9._-]*`.
// `-` marks a null: no tag, digest or time is `-`.
import { sql, type RawBuilder } from 'kysely';
import type { Dialect } from './migrations.ts';
import type { Db } from './sql-helpers.ts';
import type { GraphArtifact } from './types.ts';

/** Artifacts per packed page: at ~160 bytes a row, 40 MB strings, far below either database's or V8's limit. */
export const GRAPH_PAGE = 250_000;
/** SQLite allows 32,766 bound parameters; PostgreSQL 65,535. Longer digest lists are read in slices. */
const SLICE = 10_000;

// One line per tag (or per untagged artifact): artifact id, digest, size, first push, last
// pull, subject, tag, tag locked.
const LINE = sql<string>`cast(x.id as text) || ' ' || x.digest || ' ' || cast(x.size as text) || ' ' || x.pushed_at
  || ' ' || coalesce(x.pulled_at, '-') || ' ' || coalesce(x.subject, '-') || ' ' || coalesce(t.name, '-') || ' ' || cast(coalesce(t.locked, 0) as text)`;

interface Key {
  pushedAt: string;
  id: number;
}

/** Every artifact of `imageId` (or only `digests` and what links to them), each tag once, tags sorted by name. */
export async function graphOf(db: Db, dialect: Dialect, imageId: number, digests?: string[], page = GRAPH_PAGE): Promise<GraphArtifact[]> {
  const out = new Graph();
  const children = db.selectFrom('artifact_children').select(['parent_id', 'child_digest', 'size']).where('image_id', '=', imageId);
  if (digests === undefined) {
    // Pages in the order of the (image, first push, id) index: each starts where the last ended.
    for (let from: Key | null = null, first = true; first || from !== null; first = false) {
      const to: Key | null = await boundary(db, imageId, from, page);
      out.add(await packed(db, dialect, sql`x.image_id = ${imageId}${from ? sql` and ${atOrAfter(from)}` : sql``}${to ? sql` and not ${atOrAfter(to)}` : sql``}`));
      from = to;
    }
    out.addChildren(await children.orderBy('parent_id').orderBy('position').execute());
  } else {
    const ids = await neighbourhood(db, imageId, digests);
    for (const slice of slices(ids)) {
      out.add(await packed(db, dialect, sql`x.image_id = ${imageId} and x.id in (${sql.join(slice)})`));
      out.addChildren(await children.where('parent_id', 'in', slice).orderBy('parent_id').orderBy('position').execute());
    }
  }
  return out.artifacts();
}

/** `(pushed_at, id) >= key`, along the artifacts' (image, first push, id) index. */
function atOrAfter(key: Key): RawBuilder<unknown> {
  return sql`(x.pushed_at > ${key.pushedAt} or (x.pushed_at = ${key.pushedAt} and x.id >= ${key.id}))`;
}

/** The first row of the page after the one starting at `from`, or null when that page is the last. */
async function boundary(db: Db, imageId: number, from: Key | null, page: number): Promise<Key | null> {
  const { rows } = await sql<{ pushed_at: string; id: number }>`select x.pushed_at, x.id from artifacts x
    where x.image_id = ${imageId}${from ? sql` and ${atOrAfter(from)}` : sql``}
    order by x.pushed_at, x.id limit 1 offset ${page}`.execute(db);
  const row = rows[0];
  return row ? { pushedAt: row.pushed_at, id: Number(row.id) } : null;
}

/** One string: a line per tag (or per untagged artifact) of the artifacts `where` selects. */
async function packed(db: Db, dialect: Dialect, where: RawBuilder<unknown>): Promise<string | null> {
  const agg = dialect === 'sqlite' ? sql`group_concat(${LINE}, char(10))` : sql`string_agg(${LINE}, chr(10))`;
  const { rows } = await sql<{ packed: string | null }>`select ${agg} as packed from artifacts x left join tags t on t.artifact_id = x.id where ${where}`.execute(db);
  return rows[0]?.packed ?? null;
}

/** Space-separated fields of newline-separated lines, read in place. */
class Fields {
  private at = 0;
  private lineEnd = -1;

  constructor(private readonly text: string) {}

  /** Moves to the next line; false at the end. */
  nextLine(): boolean {
    this.at = this.lineEnd + 1;
    if (this.at >= this.text.length) return false;
    const end = this.text.indexOf('\n', this.at);
    this.lineEnd = end === -1 ? this.text.length : end;
    return true;
  }

  skip(fields: number): void {
    for (let i = 0; i < fields; i++) {
      const space = this.text.indexOf(' ', this.at);
      this.at = space === -1 || space > this.lineEnd ? this.lineEnd + 1 : space + 1;
    }
  }

  next(): string {
    const space = this.text.indexOf(' ', this.at);
    const stop = space === -1 || space > this.lineEnd ? this.lineEnd : space;
    const value = this.text.slice(this.at, stop);
    this.at = stop + 1;
    return value;
  }
}

/** Most artifacts are not indexes: they share this until a child is added. */
const NO_CHILDREN: string[] = [];

/** Gathers packed rows into artifacts by id. */
class Graph {
  private readonly list: GraphArtifact[] = [];
  private readonly byId = new Map<number, GraphArtifact>();

  add(text: string | null): void {
    if (!text) return;
    const f = new Fields(text);
    let lastId = -1;
    let a: GraphArtifact | undefined;
    while (f.nextLine()) {
      const id = Number(f.next());
      // An artifact's lines come one after another on SQLite; PostgreSQL may interleave them.
      if (id !== lastId) {
        a = this.byId.get(id);
        lastId = id;
      }
      if (a === undefined) {
        const digest = f.next();
        const size = Number(f.next());
        const pushedAt = f.next();
        const pulledAt = f.next();
        const subject = f.next();
        a = { digest, size, pushedAt, pulledAt: pulledAt === '-' ? null : pulledAt, tags: [], children: NO_CHILDREN, subject: subject === '-' ? null : subject };
        this.byId.set(id, a);
        this.list.push(a);
      } else {
        f.skip(5);
      }
      const name = f.next();
      const locked = f.next() === '1';
      if (name !== '-') a.tags.push({ name, locked });
    }
  }

  addChildren(rows: { parent_id: number; child_digest: string; size: number | string | bigint }[]): void {
    for (const c of rows) {
      const parent = this.byId.get(Number(c.parent_id));
      if (!parent) continue;
      if (parent.children === NO_CHILDREN) parent.children = [];
      parent.children.push(c.child_digest);
      // An index's recorded size counts its children: its own content is the rest.
      parent.size = Math.max(0, parent.size - Number(c.size));
    }
  }

  artifacts(): GraphArtifact[] {
    // Tags by name (most artifacts have one: sorting them here costs less than in the query).
    for (const a of this.list) if (a.tags.length > 1) a.tags.sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
    return this.list;
  }
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
