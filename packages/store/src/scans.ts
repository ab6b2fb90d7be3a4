import type { Selectable } from 'kysely';
import type { PullRestriction, ScanSettings } from '@berth/api';
import type { ScansTable } from './schema.ts';
import type { Db } from './sql-helpers.ts';
import type { PullState, ScanCounts, ScanOutcome, ScanRecord, ScannedPlatform, ScansStore, StoredScanStatus } from './types.ts';

const parse = <T>(v: string | null): T | null => (v === null ? null : (JSON.parse(v) as T));
const text = (v: unknown): string | null => (v === null ? null : JSON.stringify(v));

type ScanRow = Selectable<ScansTable> & { digest: string };

function toScan(r: ScanRow): ScanRecord {
  return {
    artifactId: r.artifact_id,
    imageId: r.image_id,
    digest: r.digest,
    status: r.status as StoredScanStatus,
    requestedAt: r.requested_at,
    startedAt: r.started_at,
    scannedAt: r.scanned_at,
    progress: Number(r.progress),
    error: r.error,
    dbVersion: r.db_version,
    dbUpdatedAt: r.db_updated_at,
    counts: { critical: Number(r.critical), high: Number(r.high), medium: Number(r.medium), low: Number(r.low), negligible: Number(r.negligible), unknown: Number(r.unknown) },
    fixable: { critical: Number(r.critical_fixable), high: Number(r.high_fixable) },
    packages: Number(r.packages),
    secrets: Number(r.secrets),
    platforms: JSON.parse(r.platforms) as ScannedPlatform[],
  };
}

const countColumns = (c: ScanCounts) => ({
  critical: c.counts.critical,
  high: c.counts.high,
  medium: c.counts.medium,
  low: c.counts.low,
  negligible: c.counts.negligible,
  unknown: c.counts.unknown,
  critical_fixable: c.fixable.critical,
  high_fixable: c.fixable.high,
  secrets: c.secrets,
});

/**
 * Scan settings and pull restrictions as JSON on the image and repository rows; each
 * artifact's latest scan as one narrow row keyed by the artifact (deleted with it), its
 * full report in `scan_reports`.
 */
export class KyselyScans implements ScansStore {
  constructor(private readonly db: Db) {}

  async imageSettings(imageId: number) {
    const row = await this.db.selectFrom('images').select(['scan_settings', 'pull_restriction']).where('id', '=', imageId).executeTakeFirst();
    return { scan: parse<ScanSettings>(row?.scan_settings ?? null), pull: parse<PullRestriction>(row?.pull_restriction ?? null) };
  }

  async repositorySettings(repositoryId: number) {
    const row = await this.db.selectFrom('repositories').select(['scan_settings', 'pull_restriction']).where('id', '=', repositoryId).executeTakeFirst();
    return { scan: parse<ScanSettings>(row?.scan_settings ?? null), pull: parse<PullRestriction>(row?.pull_restriction ?? null) };
  }

  async putImageScanSettings(imageId: number, settings: ScanSettings | null): Promise<void> {
    await this.db.updateTable('images').set({ scan_settings: text(settings) }).where('id', '=', imageId).execute();
  }

  async putImagePullRestriction(imageId: number, restriction: PullRestriction | null): Promise<void> {
    await this.db.updateTable('images').set({ pull_restriction: text(restriction) }).where('id', '=', imageId).execute();
  }

  async putRepositoryScanSettings(repositoryId: number, settings: ScanSettings | null): Promise<void> {
    await this.db.updateTable('repositories').set({ scan_settings: text(settings) }).where('id', '=', repositoryId).execute();
  }

  async putRepositoryPullRestriction(repositoryId: number, restriction: PullRestriction | null): Promise<void> {
    await this.db.updateTable('repositories').set({ pull_restriction: text(restriction) }).where('id', '=', repositoryId).execute();
  }

  async request(imageId: number, digests: string[], at: string): Promise<string[]> {
    if (digests.length === 0) return [];
    const artifacts = await this.db
      .selectFrom('artifacts')
      .leftJoin('scans', 'scans.artifact_id', 'artifacts.id')
      .select(['artifacts.id', 'artifacts.digest', 'scans.status'])
      .where('artifacts.image_id', '=', imageId)
      .where('artifacts.digest', 'in', digests)
      .execute();
    const queued: string[] = [];
    for (const a of artifacts) {
      if (a.status === 'queued' || a.status === 'scanning') continue;
      if (a.status === null) {
        await this.db
          .insertInto('scans')
          .values({ artifact_id: a.id, image_id: imageId, status: 'queued', requested_at: at })
          .onConflict((oc) => oc.column('artifact_id').doUpdateSet({ status: 'queued', requested_at: at, progress: 0, error: null }))
          .execute();
      } else {
        // A finished scan keeps its results until the new one replaces them.
        await this.db.updateTable('scans').set({ status: 'queued', requested_at: at, progress: 0, error: null }).where('artifact_id', '=', a.id).execute();
      }
      queued.push(a.digest);
    }
    return queued;
  }

  private artifactId(imageId: number, digest: string) {
    return this.db.selectFrom('artifacts').select('id').where('image_id', '=', imageId).where('digest', '=', digest);
  }

  async start(imageId: number, digest: string, at: string): Promise<boolean> {
    const res = await this.db
      .updateTable('scans')
      .set({ status: 'scanning', started_at: at, progress: 0 })
      .where('artifact_id', '=', (eb) => eb.selectFrom('artifacts').select('id').where('image_id', '=', imageId).where('digest', '=', digest))
      .executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  }

  async progress(imageId: number, digest: string, percent: number): Promise<void> {
    await this.db
      .updateTable('scans')
      .set({ progress: Math.max(0, Math.min(100, Math.round(percent))) })
      .where('artifact_id', '=', this.artifactId(imageId, digest))
      .where('status', '=', 'scanning')
      .execute();
  }

  async finish(imageId: number, digest: string, outcome: ScanOutcome): Promise<void> {
    const row = await this.artifactId(imageId, digest).executeTakeFirst();
    if (!row) return; // deleted while it was scanned
    if (outcome.status === 'done') {
      await this.db
        .updateTable('scans')
        .set({
          status: 'done',
          scanned_at: outcome.at,
          progress: 100,
          error: null,
          db_version: outcome.dbVersion,
          db_updated_at: outcome.dbUpdatedAt,
          packages: outcome.packages,
          platforms: JSON.stringify(outcome.platforms),
          ...countColumns(outcome),
        })
        .where('artifact_id', '=', row.id)
        .execute();
      await this.db
        .insertInto('scan_reports')
        .values({ artifact_id: row.id, report: outcome.report })
        .onConflict((oc) => oc.column('artifact_id').doUpdateSet({ report: outcome.report }))
        .execute();
    } else {
      await this.db.updateTable('scans').set({ status: outcome.status, scanned_at: outcome.at, error: outcome.error, progress: 0 }).where('artifact_id', '=', row.id).execute();
    }
  }

  async recount(imageId: number, digest: string, counts: ScanCounts): Promise<void> {
    await this.db.updateTable('scans').set(countColumns(counts)).where('artifact_id', '=', this.artifactId(imageId, digest)).execute();
  }

  private rows() {
    return this.db.selectFrom('scans').innerJoin('artifacts', 'artifacts.id', 'scans.artifact_id').selectAll('scans').select('artifacts.digest');
  }

  async get(imageId: number, digest: string): Promise<ScanRecord | null> {
    const row = await this.rows().where('artifacts.image_id', '=', imageId).where('artifacts.digest', '=', digest).executeTakeFirst();
    return row ? toScan(row) : null;
  }

  async byDigests(imageId: number, digests: string[]): Promise<Map<string, ScanRecord>> {
    if (digests.length === 0) return new Map();
    const rows = await this.rows().where('artifacts.image_id', '=', imageId).where('artifacts.digest', 'in', digests).execute();
    return new Map(rows.map((r) => [r.digest, toScan(r)]));
  }

  async doneInImage(imageId: number): Promise<ScanRecord[]> {
    const rows = await this.rows().where('scans.image_id', '=', imageId).where('scans.status', '=', 'done').execute();
    return rows.map(toScan);
  }

  async imagesInheritingScanSettings(repositoryId: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('images')
      .select('images.name')
      .where('images.repository_id', '=', repositoryId)
      .where('images.scan_settings', 'is', null)
      .where((eb) => eb.exists(eb.selectFrom('scans').select('scans.artifact_id').whereRef('scans.image_id', '=', 'images.id').where('scans.status', '=', 'done')))
      .orderBy('images.name')
      .execute();
    return rows.map((r) => r.name);
  }

  async report(imageId: number, digest: string): Promise<string | null> {
    const row = await this.db
      .selectFrom('scan_reports')
      .innerJoin('artifacts', 'artifacts.id', 'scan_reports.artifact_id')
      .select('scan_reports.report')
      .where('artifacts.image_id', '=', imageId)
      .where('artifacts.digest', '=', digest)
      .executeTakeFirst();
    return row?.report ?? null;
  }

  async pullState(repository: string, image: string, reference: { tag: string } | { digest: string }): Promise<PullState | null> {
    const q = this.db
      .selectFrom('images')
      .innerJoin('repositories', 'repositories.id', 'images.repository_id')
      .select(['images.pull_restriction as own', 'repositories.pull_restriction as inherited'])
      .where('repositories.name', '=', repository)
      .where('images.name', '=', image);
    // The artifact the reference names and its scan, joined in the same read.
    const target =
      'tag' in reference
        ? q
            .leftJoin('tags', (j) => j.onRef('tags.image_id', '=', 'images.id').on('tags.name', '=', reference.tag))
            .leftJoin('artifacts', 'artifacts.id', 'tags.artifact_id')
        : q.leftJoin('artifacts', (j) => j.onRef('artifacts.image_id', '=', 'images.id').on('artifacts.digest', '=', reference.digest));
    const row = await target
      .leftJoin('scans', 'scans.artifact_id', 'artifacts.id')
      .select([
        'artifacts.digest',
        'scans.status',
        'scans.error',
        'scans.db_version',
        'scans.critical',
        'scans.high',
        'scans.medium',
        'scans.low',
        'scans.negligible',
        'scans.unknown',
        'scans.critical_fixable',
        'scans.high_fixable',
      ])
      .executeTakeFirst();
    if (!row) return null;
    const scan =
      row.status === null
        ? null
        : {
            status: row.status as StoredScanStatus,
            hasResults: row.db_version !== null,
            error: row.error,
            counts: {
              critical: Number(row.critical),
              high: Number(row.high),
              medium: Number(row.medium),
              low: Number(row.low),
              negligible: Number(row.negligible),
              unknown: Number(row.unknown),
            },
            fixable: { critical: Number(row.critical_fixable), high: Number(row.high_fixable) },
          };
    return {
      imageRestriction: parse<PullRestriction>(row.own),
      repositoryRestriction: parse<PullRestriction>(row.inherited),
      artifact: row.digest === null ? null : { digest: row.digest, scan },
    };
  }

  async staleSince(since: string, dbVersion: string, limit: number) {
    const rows = await this.db
      .selectFrom('scans')
      .innerJoin('artifacts', 'artifacts.id', 'scans.artifact_id')
      .innerJoin('images', 'images.id', 'artifacts.image_id')
      .innerJoin('repositories', 'repositories.id', 'images.repository_id')
      .select(['repositories.name as repository', 'images.name as image', 'images.id as imageId', 'artifacts.digest'])
      .where('scans.status', '=', 'done')
      .where('scans.db_version', '<>', dbVersion)
      .where('artifacts.pulled_at', '>=', since)
      .orderBy('artifacts.id')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ repository: r.repository, image: r.image, imageId: r.imageId, digest: r.digest }));
  }
}
