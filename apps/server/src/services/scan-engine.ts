// What the scan service asks of the scanner, and the report it stores. The real engine
// (scanner-engine.ts) reads layers from the registry with @berth/scanner and matches them
// against the advisory database; tests of the service may give it another.

import type { ScanReport } from '@berth/api';

// The stored report is part of the API contract (it is what `…/scan-report` exports).
export type { ReportInventory, ReportSecret, ReportVulnerability, ScanReport } from '@berth/api';

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
