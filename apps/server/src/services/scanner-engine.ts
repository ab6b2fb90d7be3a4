import {
  languageAnalyzers,
  osAnalyzers,
  scanArtifact,
  secretAnalyzer,
  toCycloneDx,
  UnsupportedArtifactError,
  type AdvisoryDatabase,
  type FileAnalyzer,
  type Inventory,
} from '@berth/scanner';
import type { RegistryClient } from '@berth/oci';
import { nowIso } from './clock.ts';
import type { ScanEngine, ScannedImage, ScanReport } from './scan-engine.ts';
import type { VulnerabilityDatabaseService } from './vulnerability-database.ts';

/**
 * The scan engine Berth runs: layers streamed from the registry with Berth's own upstream
 * client (so the scanner's reads are never counted as pulls and never meet the pull
 * restriction), every analyzer of @berth/scanner, and the advisory database loaded now.
 */
export class RegistryScanEngine implements ScanEngine {
  private readonly analyzers: FileAnalyzer[] = [...osAnalyzers(), ...languageAnalyzers(), secretAnalyzer()];

  constructor(
    private readonly client: RegistryClient,
    private readonly databases: VulnerabilityDatabaseService,
    private readonly concurrency = 2,
  ) {}

  async scan(name: string, digest: string, opts: { signal: AbortSignal; onProgress: (percent: number) => void }): Promise<ScannedImage> {
    const db = this.databases.require();
    const scanned = await scanArtifact({
      client: this.client,
      name,
      digest,
      analyzers: this.analyzers,
      concurrency: this.concurrency,
      signal: opts.signal,
      onProgress: (_image, p) => opts.onProgress(p.bytesTotal > 0 ? (100 * p.bytesRead) / p.bytesTotal : 0),
    });
    const report: ScanReport = {
      version: 1,
      digest,
      mediaType: scanned.mediaType,
      scannedAt: nowIso(),
      database: { version: db.info.version, updatedAt: db.info.updatedAt },
      platforms: scanned.platforms.map((p) => ({ digest: p.digest, platform: p.platform, inventory: p.inventory, vulnerabilities: db.match(p.inventory) })),
    };
    return { report };
  }

  isUnsupported(err: unknown): boolean {
    return err instanceof UnsupportedArtifactError;
  }

  rematch(report: ScanReport): ScanReport {
    const db = this.databases.require();
    return {
      ...report,
      database: { version: db.info.version, updatedAt: db.info.updatedAt },
      platforms: report.platforms.map((p) => ({ ...p, vulnerabilities: db.match(p.inventory as Inventory) })),
    };
  }

  sbom(report: ScanReport, name: string): unknown {
    const merged: Inventory = {
      os: (report.platforms[0]?.inventory.os ?? null) as Inventory['os'],
      packages: report.platforms.flatMap((p) => p.inventory.packages) as Inventory['packages'],
      secrets: [],
      notes: [],
    };
    const platforms = report.platforms.map((p) => p.platform).filter((p): p is string => p !== null);
    return toCycloneDx(merged, { name, digest: report.digest, ...(platforms.length === 1 ? { platform: platforms[0]! } : {}) });
  }

  database() {
    const db: AdvisoryDatabase | null = this.databases.current();
    return db ? { version: db.info.version, updatedAt: db.info.updatedAt, records: db.info.records, ecosystems: db.info.ecosystems } : null;
  }
}
