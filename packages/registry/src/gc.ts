import fs from 'node:fs/promises';
import { parseDigest } from '@berth/oci';
import { removeFile } from './fsutil.ts';
import type { RegistryStorage } from './storage.ts';

export interface GcOptions {
  /** Report what would be freed, delete nothing. */
  dryRun?: boolean;
  /**
   * Blobs, links and upload sessions younger than this are kept whatever refers to them,
   * so a push in flight (blobs uploaded, manifest not yet put) loses nothing. Default 1 h.
   */
  graceMs?: number;
  /**
   * `keep` (default): every manifest a repository still holds is a root, tagged or not —
   * untagged artifacts go through Berth's deletion policies, not here. `delete`: only tags
   * are roots, so untagged manifests nothing refers to are swept as well.
   */
  untagged?: 'keep' | 'delete';
}

export interface GcReport {
  dryRun: boolean;
  /** Manifests removed from repositories (untagged ones, with `untagged: 'delete'`). */
  manifests: number;
  /** Blob files removed (manifests' bytes included), and their bytes. */
  blobs: number;
  bytes: number;
  /** Upload sessions removed, and their bytes. */
  uploads: number;
  uploadBytes: number;
  /** Repository links to blobs nothing refers to any more. */
  links: number;
  /** Which manifests were removed (counted in `manifests`), so an index of them can follow. */
  removedManifests: { name: string; digest: string }[];
}

/**
 * Mark and sweep. Roots are every tag (and, unless `untagged: 'delete'`, every manifest a
 * repository holds); from each marked manifest its config, layers and index children are
 * marked, and every manifest whose `subject` is marked (signatures, SBOMs) is marked too.
 * Then unmarked revisions, links and blobs older than the grace period are removed.
 * Commits wait while it runs, so nothing can start referring to a blob being swept.
 */
export async function collectGarbage(storage: RegistryStorage, opts: GcOptions = {}): Promise<GcReport> {
  const dryRun = opts.dryRun ?? false;
  const graceMs = opts.graceMs ?? 60 * 60 * 1000;
  const untagged = opts.untagged ?? 'keep';
  return storage.lock.exclusive(async () => {
    const cutoff = Date.now() - graceMs;
    const report: GcReport = { dryRun, manifests: 0, blobs: 0, bytes: 0, uploads: 0, uploadBytes: 0, links: 0, removedManifests: [] };
    const keepBlobs = new Set<string>();

    // Repositories with links but no manifest yet too: their young links protect a push in flight.
    for (const name of await storage.repositories({ withLinks: true })) {
      const revisions = await storage.links(name, 'revisions');
      const held = new Set(revisions.map((r) => r.digest));
      const marked = new Set<string>();
      const queue: string[] = [];
      const mark = (digest: string) => {
        if (!held.has(digest) || marked.has(digest)) return;
        marked.add(digest);
        queue.push(digest);
      };
      for (const [, digest] of await storage.tagEntries(name)) mark(digest);
      for (const r of revisions) if (untagged === 'keep' || r.mtimeMs >= cutoff) mark(r.digest);

      const referrers = await storage.referrerLinks(name);
      const layers = new Set<string>();
      while (queue.length > 0) {
        while (queue.length > 0) {
          const digest = queue.pop()!;
          for (const ref of await references(storage, digest)) {
            if (ref.manifest) mark(ref.digest);
            else layers.add(ref.digest);
          }
        }
        for (const r of referrers) if (marked.has(r.subject)) mark(r.referrer);
      }

      for (const r of revisions) {
        if (marked.has(r.digest)) continue;
        report.manifests++;
        report.removedManifests.push({ name, digest: r.digest });
        if (!dryRun) await removeFile(r.file);
      }
      for (const r of referrers) {
        if (!marked.has(r.referrer) && !dryRun) await removeFile(r.file);
      }
      for (const link of await storage.links(name, '_layers')) {
        if (layers.has(link.digest) || link.mtimeMs >= cutoff) {
          keepBlobs.add(link.digest);
          continue;
        }
        report.links++;
        if (!dryRun) await removeFile(link.file);
      }
      for (const digest of marked) keepBlobs.add(digest);
      for (const digest of layers) keepBlobs.add(digest);
    }

    for await (const blob of storage.allBlobs()) {
      if (keepBlobs.has(blob.digest) || blob.mtimeMs >= cutoff) continue;
      report.blobs++;
      report.bytes += blob.size;
      if (!dryRun) {
        await fs.rm(blob.file, { force: true });
        storage.forget(blob.digest);
      }
    }
    const uploads = await storage.expireUploads(graceMs, dryRun);
    report.uploads = uploads.count;
    report.uploadBytes = uploads.bytes;
    return report;
  });
}

/** Blobs and manifests a stored manifest refers to (not its subject: that link points the other way). */
async function references(storage: RegistryStorage, digest: string): Promise<{ digest: string; manifest: boolean }[]> {
  const d = parseDigest(digest);
  const body = d ? await storage.manifestBody(d) : null;
  if (!body) return [];
  try {
    const o = JSON.parse(body.toString('utf8')) as { config?: { digest?: unknown }; layers?: { digest?: unknown }[]; manifests?: { digest?: unknown }[] };
    const out: { digest: string; manifest: boolean }[] = [];
    if (typeof o.config?.digest === 'string') out.push({ digest: o.config.digest, manifest: false });
    for (const l of o.layers ?? []) if (typeof l.digest === 'string') out.push({ digest: l.digest, manifest: false });
    for (const m of o.manifests ?? []) if (typeof m.digest === 'string') out.push({ digest: m.digest, manifest: true });
    return out;
  } catch {
    return [];
  }
}
