import type {
  ArtifactScan,
  ImagePullRestriction,
  ImageScanSettings,
  ListVulnerabilitiesQuery,
  PullRestriction,
  PutImagePullRestriction,
  PutImageScanSettings,
  RepositoryPullRestriction,
  RepositoryScanSettings,
  ScanRequested,
  ScanSettings,
  SecretList,
  Severity,
  Vulnerability,
  VulnerabilityPage,
} from '@berth/api';
import { applyExclusions, countFindings } from '@berth/policy';
import type { ScannedPlatform, ScanRecord, Store } from '@berth/store';
import type { Logger } from 'pino';
import { ApiError } from '../errors.ts';
import { nowIso } from './clock.ts';
import type { ImageRef } from './deletes.ts';
import { actorName, type Identity } from './identity.ts';
import type { ImageService } from './images.ts';
import type { RepositoryService } from './repositories.ts';
import { scanOverviews } from './scan-overviews.ts';
import type { ScanEngine, ScannedImage, ScanReport, ReportVulnerability, ReportSecret } from './scan-engine.ts';

/** The job that scans one artifact. */
export const SCAN_JOB = 'scan.artifact';
/** The job that re-matches stored inventories after the advisory database changed. */
export const REMATCH_JOB = 'scan.rematch';

/** An image without scan settings of its own or inherited: no scan on push, nothing excluded. */
export const DEFAULT_SCAN_SETTINGS: ScanSettings = { scanOnPush: false, exclude: { languagePackages: false, secrets: false, withoutFix: false, atOrBelow: null } };
/** An image without a pull restriction: every pull allowed (limits shown at 1, the form's default). */
export const DEFAULT_PULL_RESTRICTION: PullRestriction = { enabled: false, refuseUnscanned: false, criticalLimit: 1, highLimit: 1, ignoreWithoutFix: false };

const SEVERITY_RANK: Record<Severity, number> = { none: 0, unknown: 1, negligible: 2, low: 3, medium: 4, high: 5, critical: 6 };
const emptyCounts = () => ({ critical: 0, high: 0, medium: 0, low: 0, negligible: 0, unknown: 0 });

export interface ScanJobPayload {
  repository: string;
  image: string;
  digest: string;
}

/**
 * Scans: settings and pull restrictions (an image's own or its repository's default),
 * scan requests (queued as leased jobs; scan on push enqueued by the push event), the job
 * that scans one artifact and stores its report, results with the image's exclusions
 * applied, and re-matching stored inventories when the advisory database changes.
 */
export class ScanService {
  constructor(
    private readonly store: Store,
    private readonly repositories: RepositoryService,
    private readonly images: ImageService,
    private readonly engine: ScanEngine,
    private readonly log: Logger,
    private readonly opts: { maxAttempts: number; rematchPulledWithinDays: number },
  ) {}

  // ── settings ────────────────────────────────────────────────────────────

  async scanSettings(repository: string, image: string): Promise<ImageScanSettings> {
    const ref = await this.images.ref(repository, image);
    return this.effectiveScanSettings(ref);
  }

  private async effectiveScanSettings(ref: ImageRef): Promise<ImageScanSettings> {
    const [own, inherited] = await Promise.all([this.store.scans.imageSettings(ref.record.id), this.store.scans.repositorySettings(ref.record.repositoryId)]);
    const settings = own.scan ?? inherited.scan ?? DEFAULT_SCAN_SETTINGS;
    return { settings, source: own.scan ? 'image' : inherited.scan ? 'repository' : 'none', repositoryDefault: inherited.scan };
  }

  async putScanSettings(who: Identity, repository: string, image: string, req: PutImageScanSettings): Promise<ImageScanSettings> {
    const ref = await this.images.ref(repository, image);
    const settings = 'inherit' in req ? null : req;
    await this.store.transaction(async (tx) => {
      const before = (await tx.scans.imageSettings(ref.record.id)).scan;
      await tx.scans.putImageScanSettings(ref.record.id, settings);
      await tx.audit.record({ at: nowIso(), actor: actorName(who), action: 'image.scan-settings', target: `${repository}/${image}`, before, after: settings ?? { inherit: true } });
    });
    await this.recountImage(ref);
    return this.effectiveScanSettings(ref);
  }

  async repositoryScanSettings(repository: string): Promise<RepositoryScanSettings> {
    const repo = await this.repositories.require(repository);
    const stored = (await this.store.scans.repositorySettings(repo.id)).scan;
    return { settings: stored ?? DEFAULT_SCAN_SETTINGS, configured: stored !== null };
  }

  async putRepositoryScanSettings(who: Identity, repository: string, settings: ScanSettings): Promise<RepositoryScanSettings> {
    const repo = await this.repositories.require(repository);
    await this.store.transaction(async (tx) => {
      const before = (await tx.scans.repositorySettings(repo.id)).scan;
      await tx.scans.putRepositoryScanSettings(repo.id, settings);
      await tx.audit.record({ at: nowIso(), actor: actorName(who), action: 'repository.scan-settings', target: repository, before, after: settings });
    });
    // Images that inherit the default count their results anew.
    for (const name of await this.store.scans.imagesInheritingScanSettings(repo.id)) await this.recountImage(await this.images.ref(repository, name));
    return this.repositoryScanSettings(repository);
  }

  async pullRestriction(repository: string, image: string): Promise<ImagePullRestriction> {
    const ref = await this.images.ref(repository, image);
    const [own, inherited] = await Promise.all([this.store.scans.imageSettings(ref.record.id), this.store.scans.repositorySettings(ref.record.repositoryId)]);
    const restriction = own.pull ?? inherited.pull ?? DEFAULT_PULL_RESTRICTION;
    return { restriction, source: own.pull ? 'image' : inherited.pull ? 'repository' : 'none', repositoryDefault: inherited.pull };
  }

  async putPullRestriction(who: Identity, repository: string, image: string, req: PutImagePullRestriction): Promise<ImagePullRestriction> {
    const ref = await this.images.ref(repository, image);
    const restriction = 'inherit' in req ? null : req;
    await this.store.transaction(async (tx) => {
      const before = (await tx.scans.imageSettings(ref.record.id)).pull;
      await tx.scans.putImagePullRestriction(ref.record.id, restriction);
      await tx.audit.record({ at: nowIso(), actor: actorName(who), action: 'image.pull-restriction', target: `${repository}/${image}`, before, after: restriction ?? { inherit: true } });
    });
    return this.pullRestriction(repository, image);
  }

  async repositoryPullRestriction(repository: string): Promise<RepositoryPullRestriction> {
    const repo = await this.repositories.require(repository);
    const stored = (await this.store.scans.repositorySettings(repo.id)).pull;
    return { restriction: stored ?? DEFAULT_PULL_RESTRICTION, configured: stored !== null };
  }

  async putRepositoryPullRestriction(who: Identity, repository: string, restriction: PullRestriction): Promise<RepositoryPullRestriction> {
    const repo = await this.repositories.require(repository);
    await this.store.transaction(async (tx) => {
      const before = (await tx.scans.repositorySettings(repo.id)).pull;
      await tx.scans.putRepositoryPullRestriction(repo.id, restriction);
      await tx.audit.record({ at: nowIso(), actor: actorName(who), action: 'repository.pull-restriction', target: repository, before, after: restriction });
    });
    return this.repositoryPullRestriction(repository);
  }

  // ── requests and jobs ───────────────────────────────────────────────────

  /** "Vulnerability check": one artifact, or (no digest) every top-level artifact of the image. */
  async request(who: Identity, repository: string, image: string, digest?: string): Promise<ScanRequested> {
    const ref = await this.images.ref(repository, image);
    let digests: string[];
    if (digest !== undefined) {
      if (!(await this.store.images.getArtifact(ref.record.id, digest))) throw new ApiError('ARTIFACT_NOT_FOUND', `artifact ${digest} of ${repository}/${image} does not exist`);
      digests = [digest];
    } else {
      digests = [];
      for (let cursor: string | undefined; ; ) {
        const page = await this.store.images.listArtifacts(ref.record.id, { limit: 500, sort: 'pushedAt', order: 'desc', ...(cursor ? { cursor } : {}) });
        digests.push(...page.items.map((a) => a.digest));
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
    }
    const queued = await this.enqueue(ref, digests);
    this.log.info({ image: `${repository}/${image}`, queued: queued.length, by: actorName(who) }, 'scans requested');
    return { queued: queued.length, artifacts: digests.length };
  }

  /** After a push was indexed (off the request path): queue a scan when the image scans on push. */
  async pushed(repository: string, image: string, digest: string): Promise<void> {
    const ref = await this.images.ref(repository, image).catch(() => null);
    if (!ref) return;
    const { settings } = await this.effectiveScanSettings(ref);
    if (settings.scanOnPush) await this.enqueue(ref, [digest]);
  }

  private async enqueue(ref: ImageRef, digests: string[]): Promise<string[]> {
    const at = nowIso();
    const queued = await this.store.scans.request(ref.record.id, digests, at);
    for (const digest of queued) {
      const payload: ScanJobPayload = { repository: ref.repository, image: ref.image, digest };
      await this.store.jobs.enqueue({ kind: SCAN_JOB, payload, dedupeKey: `${SCAN_JOB}:${ref.record.id}:${digest}`, maxAttempts: this.opts.maxAttempts }, at);
    }
    return queued;
  }

  /** The scan job: read the artifact's layers from the registry, match, store the report. Failing attempts are retried by the worker. */
  async runJob(payload: ScanJobPayload, attempt: { last: boolean; signal: AbortSignal }): Promise<void> {
    const ref = await this.images.ref(payload.repository, payload.image).catch(() => null);
    if (!ref) return; // the image went away meanwhile
    const imageId = ref.record.id;
    if (!(await this.store.scans.start(imageId, payload.digest, nowIso()))) return;
    const name = `${payload.repository}/${payload.image}`;
    let scanned: ScannedImage;
    try {
      scanned = await this.engine.scan(name, payload.digest, {
        signal: attempt.signal,
        onProgress: (percent) => void this.store.scans.progress(imageId, payload.digest, percent).catch(() => undefined),
      });
    } catch (err) {
      const unsupported = this.engine.isUnsupported(err);
      if (unsupported || attempt.last) {
        await this.store.scans.finish(imageId, payload.digest, { status: unsupported ? 'unsupported' : 'failed', at: nowIso(), error: errorText(err, attempt.signal) });
        if (unsupported) return;
      }
      throw err;
    }
    await this.storeResults(ref, scanned);
  }

  private async storeResults(ref: ImageRef, scanned: ScannedImage): Promise<void> {
    const { settings } = await this.effectiveScanSettings(ref);
    const report = scanned.report;
    const at = nowIso();
    const outcome = (r: ScanReport) => {
      const kept = applyExclusions(allVulnerabilities(r), allSecrets(r), settings.exclude);
      return {
        status: 'done' as const,
        at,
        report: JSON.stringify(r),
        packages: r.platforms.reduce((n, p) => n + p.inventory.packages.length, 0),
        platforms: platformsOf(r),
        dbVersion: r.database.version,
        dbUpdatedAt: r.database.updatedAt,
        ...countFindings(kept.vulnerabilities, kept.secrets.length),
      };
    };
    await this.store.scans.finish(ref.record.id, scanned.report.digest, outcome(report));
    // The platform images of an index are artifacts of their own (pulled by digest): each gets its part.
    if (report.platforms.length > 1 || (report.platforms[0] && report.platforms[0].digest !== report.digest)) {
      for (const p of report.platforms) {
        if (p.digest === report.digest || !(await this.store.images.getArtifact(ref.record.id, p.digest))) continue;
        await this.store.scans.request(ref.record.id, [p.digest], at);
        await this.store.scans.start(ref.record.id, p.digest, at);
        await this.store.scans.finish(ref.record.id, p.digest, outcome({ ...report, digest: p.digest, platforms: [p] }));
      }
    }
  }

  /** Counts every done scan of the image anew from its stored report (its exclusions changed). */
  private async recountImage(ref: ImageRef): Promise<void> {
    const { settings } = await this.effectiveScanSettings(ref);
    for (const scan of await this.store.scans.doneInImage(ref.record.id)) {
      const raw = await this.store.scans.report(ref.record.id, scan.digest);
      if (!raw) continue;
      const r = JSON.parse(raw) as ScanReport;
      const kept = applyExclusions(allVulnerabilities(r), allSecrets(r), settings.exclude);
      await this.store.scans.recount(ref.record.id, scan.digest, countFindings(kept.vulnerabilities, kept.secrets.length));
    }
  }

  /**
   * After the advisory database changed: artifacts pulled in the last N days whose scan was
   * matched against another database are matched again from their stored inventories, in
   * batches; no layer is read again. Returns how many were re-matched.
   */
  async rematch(now = new Date()): Promise<number> {
    const db = this.engine.database();
    if (!db) return 0;
    const since = new Date(now.getTime() - this.opts.rematchPulledWithinDays * 86_400_000).toISOString();
    let done = 0;
    for (;;) {
      const batch = await this.store.scans.staleSince(since, db.version, 100);
      let progressed = 0;
      for (const a of batch) {
        const raw = await this.store.scans.report(a.imageId, a.digest);
        const ref = await this.images.ref(a.repository, a.image).catch(() => null);
        if (!raw || !ref) continue;
        const rematched = this.engine.rematch(JSON.parse(raw) as ScanReport);
        await this.storeResults(ref, { report: rematched });
        progressed += 1;
      }
      done += progressed;
      // What could not be re-matched (its report or image is gone) would come back forever.
      if (progressed === 0) return done;
    }
  }

  // ── results ─────────────────────────────────────────────────────────────

  async status(repository: string, image: string, digest: string): Promise<ArtifactScan> {
    const ref = await this.images.ref(repository, image);
    if (!(await this.store.images.getArtifact(ref.record.id, digest))) throw new ApiError('ARTIFACT_NOT_FOUND', `artifact ${digest} of ${repository}/${image} does not exist`);
    const [scan, overview] = await Promise.all([this.store.scans.get(ref.record.id, digest), scanOverviews(this.store, ref.record, [digest])]);
    return toArtifactScan(digest, scan, overview.get(digest)!.pullRefusal);
  }

  private async keptFindings(repository: string, image: string, digest: string) {
    const ref = await this.images.ref(repository, image);
    const raw = await this.store.scans.report(ref.record.id, digest);
    if (!raw) throw new ApiError('SCAN_NOT_FOUND', `artifact ${digest} of ${repository}/${image} has no finished scan`);
    const report = JSON.parse(raw) as ScanReport;
    const { settings } = await this.effectiveScanSettings(ref);
    return { report, settings, ...applyExclusions(allVulnerabilities(report), allSecrets(report), settings.exclude) };
  }

  async vulnerabilities(repository: string, image: string, digest: string, q: ListVulnerabilitiesQuery): Promise<VulnerabilityPage> {
    const { vulnerabilities } = await this.keptFindings(repository, image, digest);
    const needle = q.q?.toLowerCase();
    const levels = q.severity ? new Set(q.severity) : null;
    const matching = vulnerabilities.filter(
      (v) =>
        (levels === null || levels.has(v.severity)) &&
        (q.fixable === undefined || (v.fixedVersion !== null) === q.fixable) &&
        (needle === undefined || [v.id, v.package, v.title, ...v.aliases].some((s) => s.toLowerCase().includes(needle))),
    );
    const dir = q.order === 'asc' ? 1 : -1;
    const key: Record<ListVulnerabilitiesQuery['sort'], (v: Vulnerability) => string | number> = {
      severity: (v) => SEVERITY_RANK[v.severity],
      id: (v) => v.id,
      package: (v) => v.package,
      fixedVersion: (v) => v.fixedVersion ?? '',
    };
    const k = key[q.sort];
    matching.sort((a, b) => {
      const x = k(a);
      const y = k(b);
      return (x < y ? -1 : x > y ? 1 : 0) * dir || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) || (a.package < b.package ? -1 : a.package > b.package ? 1 : 0);
    });
    const start = q.cursor === undefined ? 0 : Number.parseInt(q.cursor, 10);
    if (!Number.isSafeInteger(start) || start < 0) throw new ApiError('INVALID_CURSOR', 'cursor is not valid');
    const items = matching.slice(start, start + q.limit);
    return { items, nextCursor: start + q.limit < matching.length ? String(start + q.limit) : null, total: matching.length };
  }

  async secrets(repository: string, image: string, digest: string): Promise<SecretList> {
    const { secrets, settings } = await this.keptFindings(repository, image, digest);
    return { items: secrets, excluded: settings.exclude.secrets };
  }

  /** The whole report as stored (inventory, every vulnerability and secret, before exclusions), for export. */
  async report(repository: string, image: string, digest: string): Promise<ScanReport> {
    return (await this.keptFindings(repository, image, digest)).report;
  }

  /** A CycloneDX SBOM of the artifact's inventory (every platform's packages). */
  async sbom(repository: string, image: string, digest: string): Promise<unknown> {
    const { report } = await this.keptFindings(repository, image, digest);
    return this.engine.sbom(report, `${repository}/${image}`);
  }
}

function allVulnerabilities(r: ScanReport): (ReportVulnerability & { platform: string | null })[] {
  return r.platforms.flatMap((p) => p.vulnerabilities.map((v) => ({ ...v, platform: p.platform })));
}

function allSecrets(r: ScanReport): (ReportSecret & { platform: string | null })[] {
  return r.platforms.flatMap((p) => p.inventory.secrets.map((s) => ({ ...s, platform: p.platform })));
}

function platformsOf(r: ScanReport): ScannedPlatform[] {
  return r.platforms.map((p) => ({ digest: p.digest, platform: p.platform, os: p.inventory.os?.prettyName ?? p.inventory.os?.id ?? null, packages: p.inventory.packages.length }));
}

function errorText(err: unknown, signal: AbortSignal): string {
  if (signal.aborted) return 'the scan took longer than its time limit';
  return err instanceof Error ? err.message : String(err);
}

function toArtifactScan(digest: string, s: ScanRecord | null, pullRefusal: string | null): ArtifactScan {
  if (!s) {
    return {
      digest,
      status: 'none',
      scannedAt: null,
      summary: emptyCounts(),
      requestedAt: null,
      startedAt: null,
      progress: 0,
      error: null,
      fixable: { critical: 0, high: 0 },
      secrets: 0,
      packages: 0,
      platforms: [],
      database: null,
      pullRefusal,
    };
  }
  return {
    digest,
    status: s.status,
    scannedAt: s.scannedAt,
    summary: s.counts,
    requestedAt: s.requestedAt,
    startedAt: s.startedAt,
    progress: s.progress,
    error: s.error,
    fixable: s.fixable,
    secrets: s.secrets,
    packages: s.packages,
    platforms: s.platforms,
    database: s.dbVersion ? { version: s.dbVersion, updatedAt: s.dbUpdatedAt } : null,
    pullRefusal,
  };
}
