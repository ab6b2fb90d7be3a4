// How an image's artifacts refer to each other, and what that means for deleting them.
//
// Two kinds of reference: an index lists its children (`manifests[]`), and a referrer
// (a signature, an SBOM, an attestation) names its subject. Only references between
// artifacts of the input count; one to a digest outside it is ignored.

/** One artifact (manifest digest) of an image, as the policy functions see it. */
export interface PolicyArtifact {
  digest: string;
  /** Bytes this artifact's own manifest/config/layers take (for an index: its own manifest only; children are separate artifacts). */
  size: number;
  /** First push, ISO 8601 UTC. */
  pushedAt: string;
  /** Last pull, ISO 8601 UTC; null when never pulled. */
  pulledAt: string | null;
  /** The tags pointing at this artifact; [] when untagged. */
  tags: { name: string; locked: boolean }[];
  /** Digests an index lists (`manifests[]`); [] for an image manifest. */
  children: string[];
  /** Digest this artifact refers to (a signature / SBOM / attestation), or null. */
  subject: string | null;
}

/** One artifact with its references resolved against the rest of the input. */
export interface ArtifactNode {
  readonly artifact: PolicyArtifact;
  readonly digest: string;
  /** Position in the input. */
  readonly seq: number;
  /** Children that are in the input (self-references and repeats dropped). */
  readonly children: readonly ArtifactNode[];
  /** The subject when it is in the input (and not the artifact itself), else null. */
  readonly subject: ArtifactNode | null;
  /** Indexes of the input that list this artifact. */
  readonly indexes: readonly ArtifactNode[];
  /** Artifacts of the input whose subject is this artifact. */
  readonly referrers: readonly ArtifactNode[];
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Building = Mutable<Omit<ArtifactNode, 'children' | 'indexes' | 'referrers'>> & {
  children: ArtifactNode[];
  indexes: ArtifactNode[];
  referrers: ArtifactNode[];
};
/** Most artifacts refer to nothing and nothing refers to them: they share this until they do. */
const NONE: ArtifactNode[] = [];
const add = (list: ArtifactNode[], node: ArtifactNode) => (list === NONE ? [node] : (list.push(node), list));

/**
 * Resolves the references between `artifacts` (each digest once, as in the store), in
 * input order. The lookup map holds only digests something refers to (most artifacts
 * are neither a child nor a subject), and none is built when nothing refers to anything.
 */
export function artifactGraph(artifacts: readonly PolicyArtifact[]): ArtifactNode[] {
  const nodes = artifacts.map((artifact, seq): Building => ({ artifact, digest: artifact.digest, seq, children: NONE, subject: null, indexes: NONE, referrers: NONE }));
  const referred = new Map<string, Building | null>();
  for (const { children, subject } of artifacts) {
    for (const c of children) referred.set(c, null);
    if (subject !== null) referred.set(subject, null);
  }
  if (referred.size === 0) return nodes;
  for (const n of nodes) if (referred.get(n.digest) === null) referred.set(n.digest, n);
  for (const node of nodes) {
    const { children, subject } = node.artifact;
    for (const child of children) {
      const target = child === node.digest ? null : referred.get(child);
      if (!target || target.indexes.at(-1) === node) continue; // not in the input, or listed twice by one index
      node.children = add(node.children, target);
      target.indexes = add(target.indexes, node);
    }
    const target = subject === null || subject === node.digest ? null : referred.get(subject);
    if (target) {
      node.subject = target;
      target.referrers = add(target.referrers, node);
    }
  }
  return nodes;
}

/** Top-level: neither a child of an index of the input nor a referrer whose subject is in the input. */
export function isTopLevel(node: ArtifactNode): boolean {
  return node.indexes.length === 0 && node.subject === null;
}

/** Why a digest cannot be deleted: an artifact that stays refers to it. */
export interface DeleteBlocker {
  /** The digest about to be deleted. */
  digest: string;
  /** The artifact that stays and refers to it. */
  referrer: string;
  /** `index-child`: the referrer is an index listing it; `subject`: the referrer (a signature, an SBOM) names it as its subject. */
  kind: 'index-child' | 'subject';
}

/**
 * What keeps a manual delete of `targets` (digests deleted together) from leaving a
 * dangling reference: one blocker per target and artifact outside `targets` that lists
 * it as an index child or names it as its subject. Deleting an index together with its
 * children is fine; deleting an image whose signature stays is blocked, naming the
 * signature. Sorted by digest, then referrer.
 */
export function deleteBlockers(targets: ReadonlySet<string>, artifacts: readonly PolicyArtifact[]): DeleteBlocker[] {
  const blockers: DeleteBlocker[] = [];
  for (const a of artifacts) {
    if (targets.has(a.digest)) continue;
    for (const child of new Set(a.children)) {
      if (targets.has(child)) blockers.push({ digest: child, referrer: a.digest, kind: 'index-child' });
    }
    if (a.subject !== null && targets.has(a.subject)) blockers.push({ digest: a.subject, referrer: a.digest, kind: 'subject' });
  }
  return blockers.sort((x, y) => compare(x.digest, y.digest) || compare(x.referrer, y.referrer) || compare(x.kind, y.kind));
}

/** An artifact that goes along with a deleted one. */
export interface Follower {
  digest: string;
  /** `index-child`: a child of `of`, an index; `referrer`: a referrer (signature, SBOM) of `of`. */
  kind: 'index-child' | 'referrer';
  /** The digest it follows. */
  of: string;
}

/**
 * The untagged children and untagged referrers that would go with `digest`, transitively
 * (the signature of a platform image of a deleted index goes too), for the confirmation
 * dialog to list. An artifact that something staying still refers to (another index
 * lists it) stays, and so do its own followers. Tagged artifacts never follow. In the
 * order they are reached from `digest`.
 */
export function followers(digest: string, artifacts: readonly PolicyArtifact[]): Follower[] {
  const root = artifactGraph(artifacts).find((n) => n.digest === digest);
  if (!root) return [];
  // Everything reachable through untagged children and referrers…
  const reached = new Map<ArtifactNode, Follower>();
  const order: ArtifactNode[] = [root];
  for (let i = 0; i < order.length; i++) {
    const node = order[i]!;
    for (const [next, kind] of [[node.children, 'index-child'], [node.referrers, 'referrer']] as const) {
      for (const n of next) {
        if (n === root || reached.has(n) || n.artifact.tags.length > 0) continue;
        reached.set(n, { digest: n.digest, kind, of: node.digest });
        order.push(n);
      }
    }
  }
  // …less what an artifact that stays still refers to, and what only those refer to.
  const staying = (h: ArtifactNode) => h !== root && !reached.has(h);
  const recheck = [...reached.keys()];
  while (recheck.length > 0) {
    const n = recheck.pop()!;
    if (!reached.has(n) || !(n.indexes.some(staying) || (n.subject !== null && staying(n.subject)))) continue;
    reached.delete(n);
    recheck.push(...n.children, ...n.referrers);
  }
  return [...reached.values()];
}

/** Code-unit order: the same everywhere, unlike localeCompare. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
