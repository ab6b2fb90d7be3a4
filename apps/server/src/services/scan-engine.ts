// What the scan service asks of the scanner, and the report it stores. The real engine
// (scanner-engine.ts) reads layers from the registry with @berth/scanner and matches them
// against the advisory database; tests of the service may give it another.
import type { Severity } from '@berth/api';

/** One vulnerability as the report keeps it. */
export interface ReportVulnerability {
  id: string;
  aliases: string[];
  url: string;
  severity: Severity;
  score: number | null;
  vector: string | null;
  title: string;
  package: string;
  packageType: string;
  installedVersion: string;
  fixedVersion: string | null;
  path: string;
  layer: string;
}

/** One secret as the report keeps it: never the value, only a masked form. */
export interface ReportSecret {
  rule: string;
  title: string;
  severity: Severity;
  path: string;
  line: number;
  layer: string;
  masked: string;
}

/** The inventory of one platform image, as the report keeps it. */
export interface ReportInventory {
  os: { id: string; versionId: string | null; prettyName: string | null; ecosystem: string | null } | null;
  packages: { type: string; name: string; version: string; source?: { name: string; version: string }; path: string; layer: string; purl: string; licenses: string[] }[];
  secrets: ReportSecret[];
  notes: { path: string; layer: string; message: string }[];
}

/** Everything a scan found in one artifact, before exclusions: what is stored and exported. */
export interface ScanReport {
  /** The format of this report. */
  version: 1;
  digest: string;
  mediaType: string;
  scannedAt: string;
  database: { version: string; updatedAt: string | null };
  platforms: { digest: string; platform: string | null; inventory: ReportInventory; vulnerabilities: ReportVulnerability[] }[];
}

export interface ScannedImage {
  report: ScanReport;
}

/** The advisory database in use. */
export interface DatabaseState {
  version: string;
  updatedAt: string | null;
  records: number;
  ecosystems: { name: string; records: number }[];
}

export interface ScanEngine {
  /** Scans the artifact `digest` of `name` (an index: each platform image), reading its layers from the registry. */
  scan(name: string, digest: string, opts: { signal: AbortSignal; onProgress: (percent: number) => void }): Promise<ScannedImage>;
  /** Whether `err` says the artifact is not something the scanner can read (a Helm chart, a signature). */
  isUnsupported(err: unknown): boolean;
  /** Matches a stored report's inventories against the current database (no layer is read). */
  rematch(report: ScanReport): ScanReport;
  /** A CycloneDX SBOM of the report's inventories. */
  sbom(report: ScanReport, name: string): unknown;
  /** The database in use, or null when none is loaded (scans then fail, saying so). */
  database(): DatabaseState | null;
}
